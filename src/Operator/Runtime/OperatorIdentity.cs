using System.Net;

namespace Kollect.Operator.Runtime;

/// <summary>
/// This process's name as a Lease holder and Event reporting instance. In a pod it is the pod's
/// name (<c>POD_NAME</c> from the downward API, which <c>config/manager</c> sets): a restarted
/// container of the same pod is then still the lease's holder and renews it at once, instead of
/// waiting out a lease duration as a stranger would (issue #13). Two pods never share a name.
/// Elsewhere: host name plus a random suffix, so two processes on one host never share it.
/// </summary>
public sealed record OperatorIdentity(string Name)
{
    /// <summary>The environment variable holding the pod name.</summary>
    public const string PodNameVariable = "POD_NAME";

    public static OperatorIdentity Create(string? podName = null) =>
        new(string.IsNullOrWhiteSpace(podName) ? $"{Dns.GetHostName()}_{Guid.NewGuid():N}" : podName.Trim());
}
