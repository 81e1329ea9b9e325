using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Kafka;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Operator.Sinks;

/// <summary>
/// The publisher settings of one <c>KollectEventSink</c>: exactly one of <see cref="Kafka"/>,
/// <see cref="Nats"/> or <see cref="Failure"/> is set.
/// </summary>
public sealed record EventSinkResolution
{
    /// <summary><c>namespace/name</c> of the sink, for messages.</summary>
    public required string Sink { get; init; }

    /// <summary><c>spec.type</c>: <c>kafka</c> or <c>nats</c> (as written when unknown).</summary>
    public required string Type { get; init; }

    /// <summary>Kafka settings when the sink is a resolved Kafka sink.</summary>
    public KafkaSinkSettings? Kafka { get; init; }

    /// <summary>NATS options when the sink is a resolved NATS sink; they carry the endpoint policy.</summary>
    public NatsSinkOptions? Nats { get; init; }

    /// <summary>The endpoint policy the publisher and probe must apply (SPEC §6.5).</summary>
    public required EndpointPolicy EndpointPolicy { get; init; }

    /// <summary>Why the sink could not be resolved; null on success.</summary>
    public EventSinkResolveFailure? Failure { get; init; }

    /// <summary>True when settings were resolved.</summary>
    public bool Succeeded => Failure is null;
}
