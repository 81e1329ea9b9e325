namespace Kollect.Operator.Sinks;

/// <summary>
/// One message for a sink: the Kafka key (<c>&lt;cluster&gt;/&lt;namespace&gt;</c>), the headers of
/// SPEC §5 in order, the event envelope bytes, and the <c>Nats-Msg-Id</c> of SPEC §6.2.
/// </summary>
public sealed record SinkMessage(
    string Key,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body,
    string NatsMessageId);
