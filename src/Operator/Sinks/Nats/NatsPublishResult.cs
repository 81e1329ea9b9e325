namespace Kollect.Operator.Sinks.Nats;

/// <summary>A JetStream PubAck (SPEC §6.2): where the message is stored.</summary>
/// <param name="Stream">Stream that stored it.</param>
/// <param name="Sequence">Its sequence in the stream (of the original when duplicate).</param>
/// <param name="Duplicate">True when the stream already had this <c>Nats-Msg-Id</c>; counts as success.</param>
public sealed record NatsPublishResult(string Stream, ulong Sequence, bool Duplicate);
