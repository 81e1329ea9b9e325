using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Operator.Sinks;

/// <summary>
/// <see cref="IDatabaseSinkGateway"/> over Npgsql: one <see cref="PostgresTableWriter"/> (and so one
/// connection pool per server address) per sink, replaced when the sink's resolved settings change —
/// its spec, its Secret's connection string or its CA (<see cref="SinkSettingsFingerprint"/>). A
/// replaced writer is disposed once no export holds it.
/// </summary>
public sealed class DatabaseSinkGateway : IDatabaseSinkGateway, IAsyncDisposable
{
    private readonly Dictionary<string, Lease> _writers = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private bool _disposed;

    public async Task<DatabaseWriteOutcome> WriteAsync(DatabaseSinkResolution sink, DatabaseExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(export);
        if (Unusable(sink) is { } failure)
        {
            return DatabaseWriteOutcome.Failure(false, failure.Reason, failure.Message);
        }

        var lease = Acquire(sink);
        try
        {
            return await lease.Writer.WriteAsync(export, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(lease).ConfigureAwait(false);
        }
    }

    public async Task<SinkProbeOutcome> ProbeAsync(DatabaseSinkResolution sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        if (Unusable(sink) is { } failure)
        {
            return new SinkProbeOutcome(false, failure.Reason, failure.Message, false, TimeSpan.Zero) { Classification = failure.Reason };
        }

        // A probe never shares the export pool: it must prove that a new connection works.
        await using var writer = new PostgresTableWriter(sink.Postgres!);
        return await writer.ProbeAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Forget(string sink)
    {
        Lease? retired;
        lock (_gate)
        {
            if (!_writers.Remove(sink, out retired))
            {
                return;
            }

            retired.Retired = true;
            if (retired.Users > 0)
            {
                return;
            }
        }

        _ = retired.Writer.DisposeAsync().AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        List<Lease> leases;
        lock (_gate)
        {
            _disposed = true;
            leases = [.. _writers.Values];
            _writers.Clear();
        }

        foreach (var lease in leases)
        {
            await lease.Writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static EventSinkResolveFailure? Unusable(DatabaseSinkResolution sink) =>
        sink.Failure ?? (sink.Postgres is null
            ? new EventSinkResolveFailure(EventSinkResolveFailure.ConnectionTestFailed, $"KollectDatabaseSink {sink.Sink}: no PostgreSQL settings")
            : null);

    private Lease Acquire(DatabaseSinkResolution sink)
    {
        var fingerprint = SinkSettingsFingerprint.Of(sink);
        Lease? retired = null;
        Lease lease;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_writers.TryGetValue(sink.Sink, out lease!) || lease.Fingerprint != fingerprint)
            {
                if (lease is not null)
                {
                    lease.Retired = true;
                    retired = lease.Users == 0 ? lease : null;
                }

                lease = new Lease(fingerprint, new PostgresTableWriter(sink.Postgres!));
                _writers[sink.Sink] = lease;
            }

            lease.Users++;
        }

        if (retired is not null)
        {
            _ = retired.Writer.DisposeAsync().AsTask();
        }

        return lease;
    }

    private async Task ReleaseAsync(Lease lease)
    {
        bool dispose;
        lock (_gate)
        {
            lease.Users--;
            dispose = lease.Retired && lease.Users == 0;
        }

        if (dispose)
        {
            await lease.Writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Lease(string fingerprint, PostgresTableWriter writer)
    {
        public string Fingerprint { get; } = fingerprint;

        public PostgresTableWriter Writer { get; } = writer;

        public int Users { get; set; }

        public bool Retired { get; set; }
    }
}
