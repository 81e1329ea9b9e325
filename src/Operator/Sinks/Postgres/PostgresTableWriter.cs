using System.Diagnostics;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Sinks.Common;
using Npgsql;
using NpgsqlTypes;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// Writes exports to one PostgreSQL database sink and tests its connection (SPEC §2.5, §6.3). An
/// export is one transaction: the session options, then one statement that upserts the current
/// rows and deletes the inventory's and cluster's rows that are gone, then COMMIT; if anything fails
/// (the server dies, a row is refused) the transaction is rolled back by the server and the table
/// keeps the previous export. In <c>ensure</c> mode the table is created, once per writer, before
/// the first export; <c>existing</c> never issues DDL.
/// </summary>
public sealed class PostgresTableWriter : IAsyncDisposable
{
    private readonly PostgresConnector _connector;
    private volatile bool _tableEnsured;

    public PostgresTableWriter(PostgresSinkSettings settings)
    {
        _connector = new PostgresConnector(settings, pooling: true);
    }

    public PostgresSinkSettings Settings => _connector.Settings;

    /// <summary>Where messages say the database is: <c>PostgreSQL host:port/db as user</c>.</summary>
    public string Where => $"PostgreSQL {Settings.Connection.Describe()}";

    public async Task<DatabaseWriteOutcome> WriteAsync(DatabaseExport export, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(export);
        var rows = PostgresRowSet.From(export.Rows);
        var settingOptions = false;
        PostgresCertificateCheck? check = null;
        try
        {
            await using var connection = await _connector.OpenAsync(cancellationToken).ConfigureAwait(false);
            check = connection.CertificateCheck;
            if (Settings.Provisioning == KollectDatabaseSinkSpecProvisioningMode.Ensure && !_tableEnsured)
            {
                await EnsureTableAsync(connection.Connection, cancellationToken).ConfigureAwait(false);
                _tableEnsured = true;
            }

            await using var transaction = await connection.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            settingOptions = true;
            await ApplyOptionsAsync(connection.Connection, transaction, cancellationToken).ConfigureAwait(false);
            settingOptions = false;
            await using var command = new NpgsqlCommand(PostgresStatements.Export(Settings.QualifiedTable), connection.Connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = export.InventoryNamespace });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = export.InventoryName });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = export.Cluster });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = export.ExportedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.Parameters.Add(TextArray(rows.TargetNames));
            command.Parameters.Add(TextArray(rows.SourceUids));
            command.Parameters.Add(TextArray(rows.ResourceNamespaces));
            command.Parameters.Add(TextArray(rows.Payloads));
            long upserted = 0, deleted = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    (upserted, deleted) = (reader.GetInt64(0), reader.GetInt64(1));
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            var duplicates = rows.DuplicateKeys > 0 ? $"; {rows.DuplicateKeys} row(s) shared a key (target_name, source_uid) with an earlier row and were written once" : "";
            return new DatabaseWriteOutcome(true, false, "Exported",
                $"{Settings.QualifiedTable} on {connection.Server}: {upserted} row(s) upserted, {deleted} deleted in one transaction{duplicates}",
                (int)upserted, (int)deleted, rows.DuplicateKeys, rows.PayloadBytes);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = Classify(e, check, settingOptions);
            if (failure.Reason == PostgresFailure.TableNotFound)
            {
                // Dropped since it was ensured: the next export creates it again.
                _tableEnsured = false;
            }

            return DatabaseWriteOutcome.Failure(failure.Transient, failure.Reason, failure.Message);
        }
    }

    /// <summary>The connection test on a fresh, unpooled connection: applies the options, inspects the table and the role, rolls back.</summary>
    public async Task<SinkProbeOutcome> ProbeAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var settingOptions = false;
        PostgresCertificateCheck? check = null;
        try
        {
            await using var connector = new PostgresConnector(Settings, pooling: false);
            await using var connection = await connector.OpenAsync(cancellationToken).ConfigureAwait(false);
            check = connection.CertificateCheck;
            await using var transaction = await connection.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            settingOptions = true;
            await ApplyOptionsAsync(connection.Connection, transaction, cancellationToken).ConfigureAwait(false);
            settingOptions = false;
            var inspection = await InspectAsync(connection.Connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var server = $"{Where} (server {connection.Server}, PostgreSQL {inspection.ServerVersion})";
            if (inspection.Problem(Settings, out var note) is { } problem)
            {
                return new SinkProbeOutcome(false, EventSinkResolveFailure.ConnectionTestFailed, $"{server}: {problem}", Settings.TlsInsecure, elapsed)
                {
                    Classification = "TableCheckFailed",
                };
            }

            return new SinkProbeOutcome(true, SinkProbeOutcome.ConnectionOk, $"connected to {server}; {note}", Settings.TlsInsecure, elapsed);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = Classify(e, check, settingOptions);
            return new SinkProbeOutcome(false, EventSinkResolveFailure.ConnectionTestFailed, failure.Message, Settings.TlsInsecure, Stopwatch.GetElapsedTime(started))
            {
                Classification = failure.Reason + (failure.Transient ? " (transient)" : ""),
            };
        }
    }

    public ValueTask DisposeAsync() => _connector.DisposeAsync();

    private PostgresFailure Classify(Exception e, PostgresCertificateCheck? check, bool settingOptions) => e is PostgresConnectException connect
        ? PostgresFailure.Classify(connect.InnerException!, $"{Where} (server {connect.Server})", Settings, connect.CertificateCheck)
        : PostgresFailure.Classify(e, Where, Settings, check, settingOptions);

    private async Task EnsureTableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(PostgresStatements.CreateTable(Settings.Schema, Settings.Table), connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
        {
            // Another writer created it between IF NOT EXISTS's check and its insert into the catalog.
        }
    }

    private async Task ApplyOptionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        if (Settings.Options.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(PostgresStatements.ApplyOptions, connection, transaction);
        command.Parameters.Add(TextArray(Settings.Options.Select(o => o.Key).ToArray()));
        command.Parameters.Add(TextArray(Settings.Options.Select(o => o.Value).ToArray()));
        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<PostgresTableInspection> InspectAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(PostgresStatements.Inspect, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Settings.Schema });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Settings.Table });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new PostgresTableInspection(
            reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3),
            reader.GetBoolean(4), reader.GetBoolean(5), reader.GetBoolean(6), reader.GetBoolean(7),
            reader.GetBoolean(8), reader.GetString(9), reader.GetString(10),
            reader.GetFieldValue<string[]>(11), reader.GetBoolean(12));
    }

    private static NpgsqlParameter<string[]> TextArray(string[] values) =>
        new() { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
