namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// SASL user name and password for a Kafka sink, read from the sink's Secret (SPEC §2.1).
/// </summary>
/// <remarks>
/// <see cref="ToString"/> never shows the password (SPEC §6.5: secrets stay out of logs,
/// status, events and exceptions).
/// </remarks>
public sealed record KafkaSaslCredentials(string Username, string Password, KafkaSaslMechanism Mechanism = KafkaSaslMechanism.ScramSha256)
{
    /// <summary>Describes the credentials without the password.</summary>
    public override string ToString() => $"KafkaSaslCredentials {{ Username = {Username}, Password = <redacted>, Mechanism = {Mechanism} }}";
}
