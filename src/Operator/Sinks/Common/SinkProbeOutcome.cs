namespace Kollect.Operator.Sinks.Common;

/// <summary>
/// The verdict of one connection test (SPEC §6.3): <see cref="Reason"/> is the
/// <c>ConnectionVerified</c> reason (<c>ConnectionOK</c>, <c>ConnectionTestFailed</c>,
/// <c>SecretResolveFailed</c>); <see cref="TlsInsecure"/> is true when certificate verification
/// is off (the <c>TLSInsecure</c> condition).
/// </summary>
public sealed record SinkProbeOutcome(bool Verified, string Reason, string Message, bool TlsInsecure, TimeSpan Elapsed)
{
    public const string ConnectionOk = "ConnectionOK";

    /// <summary>
    /// How the client classified the result, for <c>kollect probe -v</c> and logs: <c>ConnectionOK</c>,
    /// or the failure's kind (<c>UnknownTopic (Terminal, librdkafka UnknownTopicOrPart)</c>, <c>AuthenticationFailed</c>).
    /// </summary>
    public string Classification { get; init; } = ConnectionOk;
}
