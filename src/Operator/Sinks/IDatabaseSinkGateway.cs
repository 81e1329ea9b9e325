using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks;

/// <summary>
/// The one door to database sinks (SPEC §2.5), shared by the sink reconciler, the inventory exporter,
/// <c>kollect probe</c> and <c>kollect export</c>: it keeps one connection pool per sink (rebuilt when
/// the resolved settings change), writes one export in one transaction and runs the connection test.
/// No outcome message ever carries a secret value (SPEC §6.5).
/// </summary>
public interface IDatabaseSinkGateway
{
    /// <summary>Upserts the export's rows and deletes that inventory's and cluster's other rows, in one transaction.</summary>
    Task<DatabaseWriteOutcome> WriteAsync(DatabaseSinkResolution sink, DatabaseExport export, CancellationToken cancellationToken);

    /// <summary>The connection test on a fresh connection: connect, the table exists or may be created, the role may write it. Creates nothing.</summary>
    Task<SinkProbeOutcome> ProbeAsync(DatabaseSinkResolution sink, CancellationToken cancellationToken);

    /// <summary>Drops the pool of a deleted sink (<c>namespace/name</c>).</summary>
    void Forget(string sink);
}
