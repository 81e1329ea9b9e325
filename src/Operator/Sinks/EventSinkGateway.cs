using System.Diagnostics;
using System.Globalization;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Kafka;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Operator.Sinks;

/// <summary>
/// The process's one <see cref="IEventSinkGateway"/>: Kafka sinks share a
/// <see cref="KafkaProducerPool"/> per endpoint policy (the pool rebuilds a sink's producer when the
/// configuration fingerprint — spec, Secret values, CA — changes, SPEC §6.1); NATS sinks get one
/// <see cref="NatsEventPublisher"/> each, replaced when the resolved <see cref="NatsSinkOptions"/>
/// change. Failures become <see cref="SinkPublishOutcome"/>/<see cref="SinkProbeOutcome"/> values
/// whose messages never carry a secret (SPEC §6.5).
/// </summary>
public sealed class EventSinkGateway : IEventSinkGateway, IAsyncDisposable
{
    /// <summary>Reason of a publish to a sink that is not resolved (missing Secret, bad spec).</summary>
    public const string SinkNotResolved = "SinkNotResolved";

    /// <summary>Reason of a broker that cannot be reached or did not answer in time.</summary>
    public const string SinkUnreachable = "SinkUnreachable";

    /// <summary>Reason of a Kafka topic that does not exist.</summary>
    public const string TopicNotFound = "TopicNotFound";

    /// <summary>Reason of a NATS stream that does not exist or does not capture the subject.</summary>
    public const string StreamNotFound = "StreamNotFound";

    /// <summary>Reason of a message over the sink's limit.</summary>
    public const string MessageTooLarge = "MessageTooLarge";

    /// <summary>Reason of any other failure.</summary>
    public const string PublishFailed = "PublishFailed";

    private readonly Dictionary<EndpointPolicy, (KafkaProducerPool Pool, KafkaEventPublisher Publisher)> _kafka = [];
    private readonly Dictionary<string, (NatsSinkOptions Options, NatsEventPublisher Publisher)> _nats = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly Action<string>? _log;
    private bool _disposed;

    /// <summary>Creates an empty gateway.</summary>
    /// <param name="log">Receives librdkafka warnings and errors, scrubbed of secrets; null drops them.</param>
    public EventSinkGateway(Action<string>? log = null)
    {
        _log = log;
    }

    /// <summary>
    /// Room kept for the key and the SPEC §5 headers at their longest (cluster and inventory names
    /// of 253 characters, namespace of 63, a 64-hex checksum and <c>Nats-Msg-Id</c>, 19-digit
    /// generation and part numbers), so a body up to the limit fits with any headers an export writes.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> LongestHeaders { get; } =
    [
        new("kollect-inventory", new string('n', 63) + "/" + new string('i', 253)),
        new("kollect-checksum", new string('0', 64)),
        new("kollect-generation", long.MaxValue.ToString(CultureInfo.InvariantCulture)),
        new("kollect-part", int.MaxValue.ToString(CultureInfo.InvariantCulture) + "/" + int.MaxValue.ToString(CultureInfo.InvariantCulture)),
        new("content-type", "application/json"),
    ];

    /// <summary>Bytes of key and headers a Kafka record may carry besides the body (see <see cref="LongestHeaders"/>).</summary>
    public static long KafkaEnvelopeOverhead { get; } =
        new KafkaOutgoingMessage(KafkaOutgoingMessage.KeyFor(new string('c', 253), new string('n', 63)), LongestHeaders, ReadOnlyMemory<byte>.Empty).MeasureSize();

    /// <summary>Bytes of the NATS header block (with <c>Nats-Msg-Id</c>) a message may carry besides the body.</summary>
    public static long NatsEnvelopeOverhead { get; } =
        NatsMessageSize.Of([.. LongestHeaders, new(NatsEventPublisher.MessageIdHeader, new string('0', 64))], 0);

    /// <inheritdoc/>
    public async ValueTask<long?> MessageLimitAsync(EventSinkResolution sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (sink.Kafka is { } kafka)
        {
            return kafka.MessageMaxBytes - KafkaEnvelopeOverhead;
        }

        if (sink.Nats is null)
        {
            return null;
        }

        try
        {
            var maxPayload = await NatsPublisher(sink).MaxPayloadAsync(cancellationToken).ConfigureAwait(false);
            return maxPayload - NatsEnvelopeOverhead;
        }
        catch (NatsException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public async Task<SinkPublishOutcome> PublishAsync(EventSinkResolution sink, SinkMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(message);
        if (sink.Failure is { } failure)
        {
            return SinkPublishOutcome.Failure(false, SinkNotResolved, failure.Message);
        }

        if (sink.Kafka is { } kafka)
        {
            var result = await KafkaFor(sink.EndpointPolicy).Publisher
                .PublishAsync(KeyOf(sink), kafka, new KafkaOutgoingMessage(message.Key, message.Headers, message.Body), cancellationToken)
                .ConfigureAwait(false);
            return result.Error is { } error
                ? SinkPublishOutcome.Failure(error.IsTransient, KafkaReason(error.Reason), $"KollectEventSink {sink.Sink}: {error.Message}")
                : SinkPublishOutcome.Success($"{result.Topic}[{result.Partition.ToString(CultureInfo.InvariantCulture)}]@{result.Offset.ToString(CultureInfo.InvariantCulture)}");
        }

        var nats = sink.Nats!;
        try
        {
            var ack = await NatsPublisher(sink).PublishAsync(nats.Subject, message.Headers, message.Body, message.NatsMessageId, cancellationToken).ConfigureAwait(false);
            return SinkPublishOutcome.Success($"{ack.Stream}#{ack.Sequence.ToString(CultureInfo.InvariantCulture)}");
        }
        catch (NatsException e)
        {
            return SinkPublishOutcome.Failure(e.IsTransient, NatsReason(e.Kind), $"KollectEventSink {sink.Sink}: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public async Task<SinkProbeOutcome> ProbeAsync(EventSinkResolution sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (sink.Failure is { } failure)
        {
            return new SinkProbeOutcome(false, failure.Reason, failure.Message, false, TimeSpan.Zero) { Classification = failure.Reason };
        }

        var clock = Stopwatch.StartNew();
        if (sink.Kafka is { } kafka)
        {
            var probe = new KafkaConnectionProbe(KafkaEndpointGuard.For(sink.EndpointPolicy), _log);
            var result = await probe.ProbeAsync(kafka, cancellationToken).ConfigureAwait(false);
            if (result.Error is { } error)
            {
                return Failed(error.Message, $"{error.Reason} ({error.Kind}, librdkafka {error.Code})", result.TlsInsecure, clock.Elapsed);
            }

            var partitions = result.PartitionCount.ToString(CultureInfo.InvariantCulture);
            var plural = result.PartitionCount == 1 ? "" : "s";
            var detail = $"topic {kafka.Topic} has {partitions} partition{plural} with leaders";
            return Verified(detail, result.TlsInsecure, clock.Elapsed);
        }

        var nats = sink.Nats!;
        NatsProbeResult probed;
        try
        {
            await using var publisher = new NatsEventPublisher(nats);
            probed = await publisher.ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException e)
        {
            // The constructor refuses a subject the publisher cannot use (wildcards).
            probed = NatsProbeResult.Failed(e);
        }

        return probed.Verified
            ? Verified(probed.Message, nats.Tls.InsecureSkipVerify, clock.Elapsed)
            : Failed(probed.Message, probed.Failure?.ToString() ?? PublishFailed, nats.Tls.InsecureSkipVerify, clock.Elapsed);
    }

    /// <inheritdoc/>
    public void Forget(string sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        NatsEventPublisher? retired = null;
        List<KafkaProducerPool> pools;
        lock (_gate)
        {
            if (_nats.Remove(sink, out var entry))
            {
                retired = entry.Publisher;
            }

            pools = [.. _kafka.Values.Select(k => k.Pool)];
        }

        var key = KeyOf(sink);
        foreach (var pool in pools)
        {
            pool.Remove(key);
        }

        Retire(retired);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        List<KafkaProducerPool> pools;
        List<NatsEventPublisher> publishers;
        lock (_gate)
        {
            _disposed = true;
            pools = [.. _kafka.Values.Select(k => k.Pool)];
            publishers = [.. _nats.Values.Select(n => n.Publisher)];
            _kafka.Clear();
            _nats.Clear();
        }

        foreach (var pool in pools)
        {
            pool.Dispose();
        }

        foreach (var publisher in publishers)
        {
            await publisher.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static SinkProbeOutcome Verified(string detail, bool tlsInsecure, TimeSpan elapsed) =>
        new(true, SinkProbeOutcome.ConnectionOk, tlsInsecure ? detail + "; TLS certificate verification is OFF (TLSInsecure)" : detail, tlsInsecure, elapsed);

    private static SinkProbeOutcome Failed(string detail, string classification, bool tlsInsecure, TimeSpan elapsed) =>
        new(false, EventSinkResolveFailure.ConnectionTestFailed, detail, tlsInsecure, elapsed) { Classification = classification };

    private static KafkaSinkKey KeyOf(EventSinkResolution sink) => KeyOf(sink.Sink);

    private static KafkaSinkKey KeyOf(string sink)
    {
        var slash = sink.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new KafkaSinkKey("", sink) : new KafkaSinkKey(sink[..slash], sink[(slash + 1)..]);
    }

    private static string KafkaReason(string reason) => reason switch
    {
        "BrokerUnreachable" or "Timeout" => SinkUnreachable,
        "UnknownTopic" => TopicNotFound,
        KafkaErrorClassifier.MessageTooLarge => MessageTooLarge,
        "AuthenticationFailed" or "AuthorizationFailed" or "TlsHandshakeFailed" or KafkaErrorClassifier.EndpointDenied
            or KafkaErrorClassifier.InvalidConfiguration => reason,
        _ => PublishFailed,
    };

    private static string NatsReason(NatsFailureKind kind) => kind switch
    {
        NatsFailureKind.ConnectionFailed or NatsFailureKind.Timeout or NatsFailureKind.Disconnected => SinkUnreachable,
        NatsFailureKind.AuthenticationFailed => "AuthenticationFailed",
        NatsFailureKind.PermissionDenied => "AuthorizationFailed",
        NatsFailureKind.TlsFailed => "TlsHandshakeFailed",
        NatsFailureKind.EndpointDenied => "EndpointDenied",
        NatsFailureKind.InvalidConfiguration => "InvalidConfiguration",
        NatsFailureKind.StreamNotFound or NatsFailureKind.NoResponders or NatsFailureKind.StreamSubjectMismatch
            or NatsFailureKind.SubjectOwnedByOtherStream => StreamNotFound,
        NatsFailureKind.PayloadTooLarge => MessageTooLarge,
        _ => PublishFailed,
    };

    private (KafkaProducerPool Pool, KafkaEventPublisher Publisher) KafkaFor(EndpointPolicy policy)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_kafka.TryGetValue(policy, out var entry))
            {
                var pool = new KafkaProducerPool(KafkaEndpointGuard.For(policy), _log);
                entry = (pool, new KafkaEventPublisher(pool));
                _kafka[policy] = entry;
            }

            return entry;
        }
    }

    private NatsEventPublisher NatsPublisher(EventSinkResolution sink)
    {
        var options = sink.Nats!;
        NatsEventPublisher? retired = null;
        NatsEventPublisher current;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_nats.TryGetValue(sink.Sink, out var entry) && entry.Options == options)
            {
                return entry.Publisher;
            }

            // New sink, or its spec, Secret or CA changed (SPEC §6.1): a fresh connection with the new settings.
            retired = entry.Publisher;
            current = new NatsEventPublisher(options);
            _nats[sink.Sink] = (options, current);
        }

        Retire(retired);
        return current;
    }

    private static void Retire(NatsEventPublisher? publisher)
    {
        if (publisher is not null)
        {
            // A publish still running on it fails as Closed and is retried by its caller on the new one.
            _ = publisher.DisposeAsync().AsTask();
        }
    }
}
