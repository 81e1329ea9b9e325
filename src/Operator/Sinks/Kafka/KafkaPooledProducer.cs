using Confluent.Kafka;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// One live producer of the pool, with lease counting so that a replaced producer is flushed
/// and disposed only after the last publish that uses it has its delivery report.
/// </summary>
internal sealed class KafkaPooledProducer
{
    private readonly object _gate = new();
    private int _leases;
    private bool _retired;
    private bool _disposed;

    public KafkaPooledProducer(KafkaProducerConfiguration configuration, IProducer<byte[], byte[]> producer, KafkaClientDiagnostics diagnostics)
    {
        Configuration = configuration;
        Producer = producer;
        Diagnostics = diagnostics;
    }

    public KafkaProducerConfiguration Configuration { get; }

    public IProducer<byte[], byte[]> Producer { get; }

    public KafkaClientDiagnostics Diagnostics { get; }

    /// <summary>Serializes the periodic endpoint check of advertised brokers.</summary>
    public SemaphoreSlim EndpointCheckLock { get; } = new(1, 1);

    /// <summary>When the advertised brokers last passed the endpoint guard; null before the first check.</summary>
    public DateTimeOffset? EndpointsCheckedAt { get; set; }

    /// <summary>Whether this producer can serve <paramref name="configuration"/>.</summary>
    public bool Serves(KafkaProducerConfiguration configuration) =>
        !Diagnostics.IsFatal && string.Equals(Configuration.Fingerprint, configuration.Fingerprint, StringComparison.Ordinal);

    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_retired)
            {
                return false;
            }

            _leases++;
            return true;
        }
    }

    public void Release()
    {
        bool dispose;
        lock (_gate)
        {
            _leases--;
            dispose = _retired && _leases == 0 && !_disposed;
            _disposed |= dispose;
        }

        if (dispose)
        {
            FlushAndDispose();
        }
    }

    /// <summary>Takes the producer out of service; it is disposed once no publish holds it.</summary>
    public void Retire()
    {
        bool dispose;
        lock (_gate)
        {
            _retired = true;
            dispose = _leases == 0 && !_disposed;
            _disposed |= dispose;
        }

        if (dispose)
        {
            FlushAndDispose();
        }
    }

    private void FlushAndDispose()
    {
        // Flushing waits for messages already handed to librdkafka, bounded by their delivery
        // timeout, so a dead broker cannot hold a disposal forever. Flush blocks; keep it off
        // the caller's thread (a reconcile or a delivery callback).
        _ = Task.Run(() =>
        {
            try
            {
                Producer.Flush(KafkaSinkSettings.MaxDeliveryTimeout);
            }
            finally
            {
                Producer.Dispose();
                EndpointCheckLock.Dispose();
            }
        });
    }
}
