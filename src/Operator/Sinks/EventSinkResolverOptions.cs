using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks;

/// <summary>Operator flags that shape how a sink is resolved (SPEC §6.5).</summary>
public sealed record EventSinkResolverOptions
{
    /// <summary>Endpoint guard flags (<c>--allow-private-sinks</c>, <c>--allow-loopback-sinks</c>).</summary>
    public EndpointPolicy EndpointPolicy { get; init; } = EndpointPolicy.PublicOnly;

    /// <summary><c>--allow-cross-namespace-secrets</c>: a sink may reference a Secret in another namespace.</summary>
    public bool AllowCrossNamespaceSecrets { get; init; }

    /// <summary>Connect timeout for the publisher and the probe.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
