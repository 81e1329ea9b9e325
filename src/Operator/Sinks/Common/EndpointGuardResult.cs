namespace Kollect.Operator.Sinks.Common;

/// <summary>The endpoint guard's verdict on one address, host name or endpoint.</summary>
/// <param name="Allowed">True when a sink may connect there.</param>
/// <param name="Message">Why it is denied and which flag (if any) would allow it; null when allowed.</param>
public sealed record EndpointGuardResult(bool Allowed, string? Message)
{
    /// <summary>The verdict for an allowed endpoint.</summary>
    public static EndpointGuardResult Allow { get; } = new(true, null);

    /// <summary>A denial with the reason given.</summary>
    public static EndpointGuardResult Deny(string message) => new(false, message);
}
