using Confluent.Kafka;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>A connection-level error reported by librdkafka (login, TLS, all brokers down), its text scrubbed of secrets.</summary>
internal sealed record KafkaConnectionError(ErrorCode Code, string Reason);
