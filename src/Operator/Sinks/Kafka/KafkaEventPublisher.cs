using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// Produces event envelopes to Kafka sinks and awaits each delivery report (SPEC §6.1): a
/// result is returned only once the brokers acknowledged the message (<c>acks=all</c>) or
/// it failed, with the failure classified as transient or terminal.
/// </summary>
public sealed class KafkaEventPublisher
{
    private readonly KafkaProducerPool _pool;

    /// <summary>Creates a publisher over a producer pool (one pool per process).</summary>
    public KafkaEventPublisher(KafkaProducerPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
    }

    /// <summary>
    /// The largest message the sink accepts, as <see cref="KafkaOutgoingMessage.MeasureSize"/>
    /// counts it: the producer's <c>message.max.bytes</c>. Exports split their parts below it
    /// (SPEC §4). A topic with a smaller <c>max.message.bytes</c> rejects larger messages with a
    /// terminal <c>MessageTooLarge</c>; <see cref="KafkaConnectionProbe"/> reports that limit
    /// where the brokers expose it.
    /// </summary>
    public static int MaxMessageBytes(KafkaProducerConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.MessageMaxBytes;
    }

    /// <summary>Derives the sink's configuration and produces one message; see the other overload.</summary>
    public Task<KafkaPublishResult> PublishAsync(
        KafkaSinkKey sink, KafkaSinkSettings settings, KafkaOutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        KafkaProducerConfiguration configuration;
        try
        {
            configuration = KafkaProducerConfiguration.Derive(settings);
        }
        catch (KafkaSinkConfigurationException ex)
        {
            return Task.FromResult(KafkaPublishResult.Failed(settings.Topic ?? "", KafkaErrorClassifier.FromConfiguration(ex)));
        }

        return PublishAsync(sink, configuration, message, cancellationToken);
    }

    /// <summary>
    /// Produces one message to the sink's topic and waits for its delivery report.
    /// </summary>
    /// <remarks>
    /// A message over <see cref="MaxMessageBytes"/> fails at once, before librdkafka sees it.
    /// Transient broker trouble is retried inside librdkafka up to the delivery timeout (≤ 30 s);
    /// the idempotent producer keeps those retries free of duplicates. Cancelling stops the wait,
    /// not a message already handed to librdkafka.
    /// </remarks>
    public async Task<KafkaPublishResult> PublishAsync(
        KafkaSinkKey sink, KafkaProducerConfiguration configuration, KafkaOutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(message);
        var topic = configuration.Topic;
        var size = message.MeasureSize();
        if (size > configuration.MessageMaxBytes)
        {
            return KafkaPublishResult.Failed(topic, KafkaErrorClassifier.Oversized(size, configuration.MessageMaxBytes, topic));
        }

        var (pooled, error) = await _pool.AcquireAsync(sink, configuration, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return KafkaPublishResult.Failed(topic, error);
        }

        try
        {
            var report = await pooled!.Producer.ProduceAsync(topic, ToKafkaMessage(message), cancellationToken).ConfigureAwait(false);
            pooled.Diagnostics.ClearConnectionError();
            return KafkaPublishResult.Delivered(report.Topic, report.Partition.Value, report.Offset.Value);
        }
        catch (KafkaException ex)
        {
            // ProduceException derives from KafkaException; both carry the broker's or librdkafka's error.
            var cause = pooled!.Diagnostics.LastConnectionError;
            return KafkaPublishResult.Failed(topic, KafkaErrorClassifier.Classify(
                ex.Error.Code, configuration.Scrub(ex.Error.Reason), topic, cause?.Code, cause?.Reason));
        }
        finally
        {
            pooled!.Release();
        }
    }

    private static Message<byte[], byte[]> ToKafkaMessage(KafkaOutgoingMessage message)
    {
        var headers = new Headers();
        foreach (var (name, value) in message.Headers)
        {
            headers.Add(name, Encoding.UTF8.GetBytes(value));
        }

        // Confluent.Kafka takes whole arrays; reuse the caller's array when the memory spans all of it.
        var payload = MemoryMarshal.TryGetArray(message.Value, out var segment)
            && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : message.Value.ToArray();
        return new Message<byte[], byte[]>
        {
            Key = Encoding.UTF8.GetBytes(message.Key),
            Value = payload,
            Headers = headers,
        };
    }
}
