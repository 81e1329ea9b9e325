using System.Net;

namespace Kollect.Operator.Runtime;

/// <summary>
/// This process's name as a Lease holder and Event reporting instance: host name plus a random
/// suffix, so two processes on one host never share it.
/// </summary>
public sealed record OperatorIdentity(string Name)
{
    public static OperatorIdentity Create() => new($"{Dns.GetHostName()}_{Guid.NewGuid():N}");
}
