using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks;

/// <summary>
/// The one door to the brokers, shared by the sink reconciler, the connection test, the
/// inventory exporter, <c>kollect probe</c> and <c>kollect export</c>: it keeps one publisher per
/// sink (rebuilt when the resolved settings change, SPEC §6.1), knows each sink's real message
/// limit (SPEC §4), publishes one message and runs the connection test (SPEC §6.3). No outcome
/// message ever carries a secret value (SPEC §6.5).
/// </summary>
public interface IEventSinkGateway
{
    /// <summary>
    /// The largest event-envelope body (<see cref="SinkMessage.Body"/>) the sink accepts, or null
    /// when it is not known yet (NATS before the first INFO). Kafka: the producer's
    /// <c>message.max.bytes</c> less the record overhead of key and headers; NATS: the server's
    /// <c>max_payload</c> less the headers block.
    /// </summary>
    ValueTask<long?> MessageLimitAsync(EventSinkResolution sink, CancellationToken cancellationToken);

    /// <summary>Publishes one message and waits for the broker's acknowledgement (Kafka delivery report, JetStream PubAck).</summary>
    Task<SinkPublishOutcome> PublishAsync(EventSinkResolution sink, SinkMessage message, CancellationToken cancellationToken);

    /// <summary>The connection test of SPEC §6.3 on a fresh connection; creates nothing.</summary>
    Task<SinkProbeOutcome> ProbeAsync(EventSinkResolution sink, CancellationToken cancellationToken);

    /// <summary>Drops the publisher of a deleted sink (<c>namespace/name</c>).</summary>
    void Forget(string sink);
}
