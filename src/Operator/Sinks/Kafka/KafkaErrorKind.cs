namespace Kollect.Operator.Sinks.Kafka;

/// <summary>Whether retrying the same publish later can succeed without anyone changing anything.</summary>
public enum KafkaErrorKind
{
    /// <summary>Broker down, leader election, timeout: retry with backoff.</summary>
    Transient,

    /// <summary>Missing topic, rejected credentials, TLS failure, oversized message, bad configuration: a person must act.</summary>
    Terminal,
}
