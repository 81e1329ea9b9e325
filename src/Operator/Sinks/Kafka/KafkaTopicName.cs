using Kollect.Api.V1Alpha1;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>Kafka's rules for topic names, checked before any broker is asked.</summary>
public static class KafkaTopicName
{
    /// <summary>Kafka's limit on topic name length.</summary>
    public const int MaxLength = 249;

    /// <summary>Throws when <paramref name="topic"/> cannot be a Kafka topic name.</summary>
    /// <exception cref="KafkaSinkConfigurationException">The name is empty, too long, or has characters Kafka rejects.</exception>
    public static void Validate(string? topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            throw new KafkaSinkConfigurationException($"{EventSinkFields.SpecKafkaTopic} is empty: name the topic that receives the snapshots.");
        }

        if (topic.Length > MaxLength || topic is "." or "..")
        {
            throw new KafkaSinkConfigurationException(
                $"{EventSinkFields.SpecKafkaTopic} '{topic}' is not a valid Kafka topic name: use 1 to {MaxLength} characters, not '.' or '..'.");
        }

        foreach (var c in topic)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new KafkaSinkConfigurationException(
                    $"{EventSinkFields.SpecKafkaTopic} '{topic}' is not a valid Kafka topic name: only ASCII letters, digits, '.', '_' and '-' are allowed.");
            }
        }
    }
}
