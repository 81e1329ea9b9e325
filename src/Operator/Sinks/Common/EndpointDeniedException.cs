namespace Kollect.Operator.Sinks.Common;

/// <summary>
/// A sink endpoint resolved to, or names, an address that the endpoint guard denies (SPEC §6.5).
/// </summary>
public sealed class EndpointDeniedException : Exception
{
    /// <summary>Creates the exception with a message that names the address and the flag that would allow it.</summary>
    public EndpointDeniedException(string message)
        : base(message)
    {
    }
}
