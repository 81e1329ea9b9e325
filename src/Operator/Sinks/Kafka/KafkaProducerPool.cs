using Confluent.Kafka;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// One idempotent producer per Kafka sink, rebuilt when the sink's effective configuration
/// (spec, Secret, CA) changes or the producer hit a fatal error (SPEC §6.1).
/// </summary>
/// <remarks>
/// Every broker is put to the endpoint guard (SPEC §6.5) before it is dialed: the bootstrap
/// brokers before a producer is built, and the brokers the cluster advertises in metadata before
/// the first message and again every <see cref="EndpointRecheckInterval"/>. librdkafka offers no
/// connect hook through Confluent.Kafka, so a broker newly advertised between two checks could be
/// dialed before it is checked; the interval bounds that window.
/// </remarks>
public sealed class KafkaProducerPool : IDisposable
{
    private readonly Dictionary<KafkaSinkKey, KafkaPooledProducer> _producers = [];
    private readonly object _gate = new();
    private readonly KafkaBrokerEndpointCheck? _endpointCheck;
    private readonly Action<string>? _log;
    private bool _disposed;
    private int _producersBuilt;

    /// <summary>Creates an empty pool.</summary>
    /// <param name="endpointCheck">The endpoint guard; null allows every broker (tests, or an operator run without the guard).</param>
    /// <param name="log">Receives librdkafka warnings and errors, scrubbed of secrets; null drops them.</param>
    /// <param name="endpointRecheckInterval">How often advertised brokers are checked again; default 30 s.</param>
    public KafkaProducerPool(KafkaBrokerEndpointCheck? endpointCheck = null, Action<string>? log = null, TimeSpan? endpointRecheckInterval = null)
    {
        ShippedLibrdkafka.EnsureInstalled();
        _endpointCheck = endpointCheck;
        _log = log;
        EndpointRecheckInterval = endpointRecheckInterval ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>How often the brokers advertised by a sink's cluster are put to the endpoint guard again.</summary>
    public TimeSpan EndpointRecheckInterval { get; }

    /// <summary>Number of sinks with a live producer.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _producers.Count;
            }
        }
    }

    /// <summary>How many producers this pool has built: one per sink, plus one per rebuild.</summary>
    public int ProducersBuilt => Volatile.Read(ref _producersBuilt);

    /// <summary>Drops the producer of a deleted sink; it is flushed and disposed once idle.</summary>
    public void Remove(KafkaSinkKey sink)
    {
        KafkaPooledProducer? removed;
        lock (_gate)
        {
            _producers.Remove(sink, out removed);
        }

        removed?.Retire();
    }

    /// <summary>Retires every producer; each is flushed and disposed once idle.</summary>
    public void Dispose()
    {
        List<KafkaPooledProducer> all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _producers.Values];
            _producers.Clear();
        }

        foreach (var producer in all)
        {
            producer.Retire();
        }
    }

    /// <summary>
    /// Leases the sink's producer for <paramref name="configuration"/>, building or rebuilding it
    /// as needed and checking broker endpoints. The caller must <see cref="KafkaPooledProducer.Release"/> it.
    /// </summary>
    internal async Task<(KafkaPooledProducer? Producer, KafkaSinkError? Error)> AcquireAsync(
        KafkaSinkKey sink, KafkaProducerConfiguration configuration, CancellationToken cancellationToken)
    {
        var pooled = TryLeaseExisting(sink, configuration);
        if (pooled is null)
        {
            var denied = await CheckBootstrapAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (denied is not null)
            {
                return (null, denied);
            }

            KafkaPooledProducer built;
            try
            {
                built = Build(configuration);
            }
            catch (Exception ex) when (ex is KafkaException or ArgumentException or InvalidOperationException)
            {
                return (null, KafkaErrorClassifier.Classify(
                    ErrorCode.InvalidConfig, configuration.Scrub(ex.Message), configuration.Topic));
            }

            pooled = Install(sink, built);
        }

        KafkaSinkError? advertisedDenied;
        try
        {
            advertisedDenied = await CheckAdvertisedAsync(pooled, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Cancelled, or the guard itself failed: give the lease back so a retired producer can go.
            pooled.Release();
            throw;
        }

        if (advertisedDenied is not null)
        {
            pooled.Release();
            return (null, advertisedDenied);
        }

        return (pooled, null);
    }

    private KafkaPooledProducer? TryLeaseExisting(KafkaSinkKey sink, KafkaProducerConfiguration configuration)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _producers.TryGetValue(sink, out var existing) && existing.Serves(configuration) && existing.TryAcquire()
                ? existing
                : null;
        }
    }

    private KafkaPooledProducer Install(KafkaSinkKey sink, KafkaPooledProducer built)
    {
        KafkaPooledProducer? replaced = null;
        KafkaPooledProducer leased;
        lock (_gate)
        {
            if (_disposed)
            {
                built.Retire();
                throw new ObjectDisposedException(nameof(KafkaProducerPool));
            }

            // Two publishes may have built a producer for the same new configuration at once; keep one.
            if (_producers.TryGetValue(sink, out var current) && current.Serves(built.Configuration) && current.TryAcquire())
            {
                leased = current;
            }
            else
            {
                replaced = current;
                _producers[sink] = built;
                built.TryAcquire();
                leased = built;
            }
        }

        if (!ReferenceEquals(leased, built))
        {
            built.Retire();
        }

        replaced?.Retire();
        return leased;
    }

    private KafkaPooledProducer Build(KafkaProducerConfiguration configuration)
    {
        var diagnostics = new KafkaClientDiagnostics(configuration, _log);
        var builder = new ProducerBuilder<byte[], byte[]>(configuration.Properties)
            .SetErrorHandler((_, error) => diagnostics.OnError(error))
            .SetLogHandler((_, message) => diagnostics.OnLog(message));
        if (configuration.OAuthBearerToken is { } token)
        {
            builder.SetOAuthBearerTokenRefreshHandler((client, _) => KafkaStaticBearerToken.Refresh(client, token, TimeProvider.System));
        }

        var producer = builder.Build();
        Interlocked.Increment(ref _producersBuilt);
        return new KafkaPooledProducer(configuration, producer, diagnostics);
    }

    private async Task<KafkaSinkError?> CheckBootstrapAsync(KafkaProducerConfiguration configuration, CancellationToken cancellationToken)
    {
        if (_endpointCheck is null)
        {
            return null;
        }

        foreach (var broker in configuration.Brokers)
        {
            var why = await _endpointCheck(broker.Host, cancellationToken).ConfigureAwait(false);
            if (why is not null)
            {
                return KafkaErrorClassifier.EndpointRefused(broker, why, advertised: false);
            }
        }

        return null;
    }

    private async Task<KafkaSinkError?> CheckAdvertisedAsync(KafkaPooledProducer pooled, CancellationToken cancellationToken)
    {
        if (_endpointCheck is null)
        {
            return null;
        }

        await pooled.EndpointCheckLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (pooled.EndpointsCheckedAt is { } at && DateTimeOffset.UtcNow - at < EndpointRecheckInterval)
            {
                return null;
            }

            var configuration = pooled.Configuration;
            var (metadata, error) = await KafkaMetadataReader.ReadAsync(
                pooled.Producer.Handle, configuration, pooled.Diagnostics, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return error;
            }

            foreach (var broker in metadata!.Brokers)
            {
                var address = new KafkaBrokerAddress(broker.Host, broker.Port);
                var why = await _endpointCheck(broker.Host, cancellationToken).ConfigureAwait(false);
                if (why is not null)
                {
                    return KafkaErrorClassifier.EndpointRefused(address, why, advertised: true);
                }
            }

            // Bootstrap names are re-resolved by the guard too: DNS may have moved them.
            var bootstrapDenied = await CheckBootstrapAsync(configuration, cancellationToken).ConfigureAwait(false);
            if (bootstrapDenied is not null)
            {
                return bootstrapDenied;
            }

            pooled.EndpointsCheckedAt = DateTimeOffset.UtcNow;
            return null;
        }
        finally
        {
            pooled.EndpointCheckLock.Release();
        }
    }
}
