namespace Kollect.Operator.Sinks.Nats;

/// <summary>Outcome of the NATS connection test (SPEC §6.3).</summary>
/// <param name="Verified">True when connect, account info and stream lookup all succeeded.</param>
/// <param name="Failure">What failed; null when verified.</param>
/// <param name="Message">What was verified, or what failed and what to do; never contains secrets.</param>
public sealed record NatsProbeResult(bool Verified, NatsFailureKind? Failure, string Message)
{
    /// <summary>A successful probe.</summary>
    public static NatsProbeResult Success(string message) => new(true, null, message);

    /// <summary>A failed probe, from the classified failure.</summary>
    public static NatsProbeResult Failed(NatsException failure) => new(false, failure.Kind, failure.Message);
}
