using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Tests.Unit.Pipeline;

/// <summary>
/// Records what the exporter asks a database sink to write and answers with <see cref="Next"/>
/// (a success counting the rows by default). The writing itself is tested against a real server in
/// tests/integration/Postgres; this only shows what the exporter hands over and how it reports.
/// </summary>
internal sealed class RecordingDatabaseGateway : IDatabaseSinkGateway
{
    public List<(string Sink, DatabaseExport Export)> Writes { get; } = [];

    public Func<DatabaseExport, DatabaseWriteOutcome>? Next { get; set; }

    public Task<DatabaseWriteOutcome> WriteAsync(DatabaseSinkResolution sink, DatabaseExport export, CancellationToken cancellationToken)
    {
        lock (Writes)
        {
            Writes.Add((sink.Sink, export));
        }

        return Task.FromResult(Next?.Invoke(export) ?? new DatabaseWriteOutcome(true, false, "Exported", $"{export.Rows.Count} row(s) upserted, 0 deleted in one transaction", export.Rows.Count, 0, 0, 100));
    }

    public Task<SinkProbeOutcome> ProbeAsync(DatabaseSinkResolution sink, CancellationToken cancellationToken) => throw new NotSupportedException();

    public void Forget(string sink)
    {
    }
}
