namespace Kollect.Operator.Sinks.Kafka;

/// <summary>Compression codecs a sink's <c>serialization.compression</c> may select (SPEC §2.1).</summary>
public enum KafkaCompression
{
    /// <summary>Messages are sent uncompressed.</summary>
    None,

    /// <summary>gzip.</summary>
    Gzip,

    /// <summary>Snappy.</summary>
    Snappy,

    /// <summary>Zstandard.</summary>
    Zstd,
}
