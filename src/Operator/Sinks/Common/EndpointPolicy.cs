namespace Kollect.Operator.Sinks.Common;

/// <summary>
/// Which otherwise denied address classes a sink endpoint may use (SPEC §6.5).
/// </summary>
/// <param name="AllowPrivate">Set by <c>--allow-private-sinks</c>: RFC 1918 and fc00::/7 addresses.</param>
/// <param name="AllowLoopback">Set by <c>--allow-loopback-sinks</c>: 127.0.0.0/8, ::1 and <c>localhost</c>.</param>
public sealed record EndpointPolicy(bool AllowPrivate = false, bool AllowLoopback = false)
{
    /// <summary>The default: public addresses only.</summary>
    public static EndpointPolicy PublicOnly { get; } = new();
}
