using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Integration.Nats;

internal static class NatsTestOptions
{
    /// <summary>Options for a server on loopback (allowed as with <c>--allow-loopback-sinks</c>).</summary>
    public static NatsSinkOptions For(string url, string subject = "kollect.events", string? stream = null, NatsProvisioningMode mode = NatsProvisioningMode.Ensure) => new()
    {
        Url = url,
        Subject = subject,
        Stream = stream,
        Provisioning = mode,
        EndpointPolicy = new EndpointPolicy(AllowPrivate: false, AllowLoopback: true),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        RequestTimeout = TimeSpan.FromSeconds(5),
        ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
        ReconnectDelayMax = TimeSpan.FromMilliseconds(500),
    };

    public static Dictionary<string, string> Headers(string part = "1/1") => new()
    {
        ["kollect-inventory"] = "team-a/inv",
        ["kollect-checksum"] = "abc123",
        ["kollect-part"] = part,
        ["content-type"] = "application/json",
    };
}
