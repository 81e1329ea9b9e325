namespace Kollect.Operator.Sinks.Kafka;

/// <summary>Outcome of a Kafka connection test (SPEC §6.3).</summary>
public sealed record KafkaProbeResult
{
    /// <summary>True only when the brokers answered, accepted the credentials, and the topic exists with a leader for every partition.</summary>
    public bool Verified => Error is null;

    /// <summary>Why the sink is not verified; null when verified.</summary>
    public KafkaSinkError? Error { get; init; }

    /// <summary>Partitions of the topic; 0 when not verified.</summary>
    public int PartitionCount { get; init; }

    /// <summary>Broker certificates are not verified: report <c>TLSInsecure</c> on the sink.</summary>
    public bool TlsInsecure { get; init; }

    /// <summary>The producer's <c>message.max.bytes</c>.</summary>
    public int ProducerMaxMessageBytes { get; init; }

    /// <summary>
    /// The topic's <c>max.message.bytes</c> when the brokers let us read it (DescribeConfigs);
    /// null when they do not answer it (librdkafka's mock cluster) or deny DESCRIBE_CONFIGS.
    /// </summary>
    public int? TopicMaxMessageBytes { get; init; }
}
