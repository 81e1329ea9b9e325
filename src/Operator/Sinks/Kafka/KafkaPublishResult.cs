namespace Kollect.Operator.Sinks.Kafka;

/// <summary>Outcome of producing one message: where the brokers stored it, or why not.</summary>
public sealed record KafkaPublishResult
{
    private KafkaPublishResult(string topic, int partition, long offset, KafkaSinkError? error)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        Error = error;
    }

    /// <summary>The topic the message was produced to.</summary>
    public string Topic { get; }

    /// <summary>Partition that stored the message; -1 on failure.</summary>
    public int Partition { get; }

    /// <summary>Offset of the message in its partition; -1 on failure.</summary>
    public long Offset { get; }

    /// <summary>Why the message was not stored; null on success.</summary>
    public KafkaSinkError? Error { get; }

    /// <summary>Whether the brokers acknowledged the message (acks=all).</summary>
    public bool Succeeded => Error is null;

    /// <summary>An acknowledged message.</summary>
    public static KafkaPublishResult Delivered(string topic, int partition, long offset) => new(topic, partition, offset, null);

    /// <summary>A message that was not stored.</summary>
    public static KafkaPublishResult Failed(string topic, KafkaSinkError error) => new(topic, -1, -1, error);
}
