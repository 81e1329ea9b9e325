using System.Text;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Export;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Postgres;
using static Kollect.Tests.Integration.Postgres.TestDatabaseSinks;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Tests.Integration.Postgres;

/// <summary>
/// Exports to a real PostgreSQL server (SPEC §2.5), read back with psql: the table contract, upsert
/// and delete across exports, empty inventories, one transaction for 10k rows, session options,
/// provisioning modes, the connection test, wrong passwords and the endpoint guard.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresExportTests(PostgresServerFixture postgres) : IAsyncLifetime
{
    private readonly DatabaseSinkGateway _gateway = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Rows_are_upserted_and_removed_across_exports_and_other_inventories_and_clusters_are_left_alone()
    {
        var table = UniqueTable();
        var sink = Resolve(postgres.Dsn(), table);
        var a = Row("configs", "shop", "a", "uid-a", """{"note":"<b> & co"}""");
        var b = Row("configs", "shop", "b", "uid-b");
        var c = Row("configs", "shop", "c", "uid-c");
        await Written(sink, Export(Sorted(a, b, c)));
        await Written(sink, Export(Sorted(Row("configs", "shop", "d", "uid-d")), inventory: "other"));
        await Written(sink, Export(Sorted(Row("configs", "shop", "e", "uid-e")), cluster: "prod-us"));

        var changedA = Row("configs", "shop", "a", "uid-a", """{"note":"changed"}""");
        var second = await Written(sink, Export(Sorted(changedA, c)));

        Assert.Equal((2, 1), (second.Upserted, second.Deleted));
        Assert.Equal(
            [
                "team-a|other|configs|uid-d|prod-eu|shop",
                "team-a|shop|configs|uid-a|prod-eu|shop",
                "team-a|shop|configs|uid-c|prod-eu|shop",
                "team-a|shop|configs|uid-e|prod-us|shop",
            ],
            Lines(postgres.Psql($"SELECT inventory_namespace, inventory_name, target_name, source_uid, cluster, resource_namespace FROM {table} ORDER BY 2, 4")));
        // The payload is the Item row's canonical JSON (byte for byte what the envelope carries), stored as jsonb.
        Assert.Equal("t", postgres.Psql($"SELECT payload = {Json(changedA)}::jsonb FROM {table} WHERE source_uid = 'uid-a'"));
        Assert.Equal("changed", postgres.Psql($"SELECT payload->'attributes'->>'note' FROM {table} WHERE source_uid = 'uid-a'"));
        Assert.Equal("jsonb|timestamp with time zone", postgres.Psql($"SELECT pg_typeof(payload)::text || '|' || pg_typeof(exported_at)::text FROM {table} LIMIT 1"));
    }

    [Fact]
    public async Task An_empty_inventory_deletes_all_of_its_rows_and_nothing_else()
    {
        var table = UniqueTable();
        var sink = Resolve(postgres.Dsn(), table);
        await Written(sink, Export(Sorted(Row("configs", "shop", "a", "uid-a"), Row("other", "shop", "b", "uid-b"))));
        await Written(sink, Export(Sorted(Row("configs", "shop", "c", "uid-c")), inventory: "kept"));

        var emptied = await Written(sink, Export([]));

        Assert.Equal((0, 2), (emptied.Upserted, emptied.Deleted));
        Assert.Equal("kept|uid-c", postgres.Psql($"SELECT inventory_name || '|' || source_uid FROM {table}"));
    }

    [Fact]
    public async Task Ten_thousand_rows_are_written_and_replaced_in_one_transaction_each()
    {
        var table = UniqueTable();
        var sink = Resolve(postgres.Dsn(), table);
        var first = Enumerable.Range(0, 10_000).Select(i => Row("configs", "shop", $"cm-{i:D5}", $"uid-{i:D5}", $$"""{"i":{{i}}}""")).ToList();
        CanonicalRowArray.Sort(first);

        var inserted = await Written(sink, Export(first));
        var firstTransaction = postgres.Psql($"SELECT count(*) || '|' || count(DISTINCT xmin::text) || '|' || min(xmin::text) FROM {table}");
        var second = first.Select(r => Row("configs", "shop", r.Identity.Name, r.Identity.Uid, """{"i":"changed"}""")).Take(9_000).ToList();
        var replaced = await Written(sink, Export(second));

        Assert.Equal((10_000, 0), (inserted.Upserted, inserted.Deleted));
        Assert.StartsWith("10000|1|", firstTransaction, StringComparison.Ordinal);
        Assert.Equal((9_000, 1_000), (replaced.Upserted, replaced.Deleted));
        var after = postgres.Psql($"SELECT count(*) || '|' || count(DISTINCT xmin::text) || '|' || min(xmin::text) FROM {table}");
        Assert.StartsWith("9000|1|", after, StringComparison.Ordinal);
        Assert.NotEqual(firstTransaction.Split('|')[2], after.Split('|')[2]);
        Assert.Equal("9000", postgres.Psql($"SELECT count(*) FROM {table} WHERE payload->'attributes'->>'i' = 'changed'"));
    }

    [Fact]
    public async Task Session_options_apply_to_the_export_transaction_and_a_refused_one_names_the_option()
    {
        var table = UniqueTable();
        var rows = Enumerable.Range(0, 10_000).Select(i => Row("configs", "shop", $"cm-{i:D5}", $"uid-{i:D5}")).ToList();
        CanonicalRowArray.Sort(rows);
        await Written(Resolve(postgres.Dsn(), table), Export(rows.Take(10).ToList()));

        // 1 ms cannot hold 10k jsonb upserts: the server cancels the statement, and the transaction with it.
        var timedOut = await _gateway.WriteAsync(Resolve(postgres.Dsn(), table, options: new() { ["statement_timeout"] = "1" }), Export(rows), default);
        var refused = await _gateway.WriteAsync(Resolve(postgres.Dsn(), table, options: new() { ["kollect_no_such_setting"] = "on" }), Export(rows), default);

        Assert.False(timedOut.Written);
        Assert.Equal((PostgresFailure.Timeout, true), (timedOut.Reason, timedOut.Transient));
        Assert.Equal("10", postgres.Psql($"SELECT count(*) FROM {table}"));
        Assert.Equal((PostgresFailure.InvalidOption, false), (refused.Reason, refused.Transient));
        Assert.Contains("spec.options", refused.Message, StringComparison.Ordinal);
        Assert.Contains("kollect_no_such_setting", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_export_and_the_test_without_showing_the_password()
    {
        const string canary = "wrong-password-canary-4711";
        var sink = Resolve(postgres.Server.Dsn(PostgresServerFixture.Owner, canary, PostgresServerFixture.Database), UniqueTable());

        var written = await _gateway.WriteAsync(sink, Export([Row("configs", "shop", "a", "uid-a")]), default);
        var probed = await _gateway.ProbeAsync(sink, default);

        Assert.Equal((false, false, PostgresFailure.AuthenticationFailed), (written.Written, written.Transient, written.Reason));
        Assert.Contains("password authentication failed for user \"kollect\"", written.Message, StringComparison.Ordinal);
        Assert.False(probed.Verified);
        Assert.StartsWith(PostgresFailure.AuthenticationFailed, probed.Classification, StringComparison.Ordinal);
        Assert.All([written.Message, probed.Message, probed.Classification, sink.ToString(), sink.Postgres!.ToString()], text =>
        {
            Assert.DoesNotContain(canary, text, StringComparison.Ordinal);
            Assert.DoesNotContain(postgres.OwnerPassword, text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Existing_mode_never_creates_the_table_and_works_once_it_is_created_by_hand()
    {
        var table = UniqueTable();
        var sink = Resolve(postgres.Dsn(), table, KollectDatabaseSinkSpecProvisioningMode.Existing);

        var missing = await _gateway.WriteAsync(sink, Export([Row("configs", "shop", "a", "uid-a")]), default);
        var probed = await _gateway.ProbeAsync(sink, default);

        Assert.Equal((false, false, PostgresFailure.TableNotFound), (missing.Written, missing.Transient, missing.Reason));
        Assert.False(probed.Verified);
        Assert.Contains("provisioning.mode is existing", probed.Message, StringComparison.Ordinal);
        Assert.Equal("0", postgres.Psql($"SELECT count(*) FROM pg_class WHERE relname = '{table}'"));

        postgres.Psql(PostgresStatements.CreateTable("public", table) + $"; GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {PostgresServerFixture.Owner}");
        Assert.True((await _gateway.ProbeAsync(sink, default)).Verified);
        await Written(sink, Export([Row("configs", "shop", "a", "uid-a")]));
    }

    [Fact]
    public async Task The_connection_test_creates_nothing_and_checks_columns_key_and_privileges()
    {
        var table = UniqueTable();
        var ensure = await _gateway.ProbeAsync(Resolve(postgres.Dsn(), table), default);
        Assert.True(ensure.Verified, ensure.Message);
        Assert.Contains("created at the first export", ensure.Message, StringComparison.Ordinal);
        Assert.Equal("0", postgres.Psql($"SELECT count(*) FROM pg_class WHERE relname = '{table}'"));

        var wrongColumns = UniqueTable();
        postgres.Psql($"CREATE TABLE {wrongColumns} (inventory_namespace text, inventory_name text, target_name text, source_uid text, cluster text, resource_namespace text, payload text, exported_at timestamptz)");
        var mismatch = await _gateway.ProbeAsync(Resolve(postgres.Dsn(), wrongColumns), default);
        Assert.False(mismatch.Verified);
        Assert.Contains("payload is text, not jsonb", mismatch.Message, StringComparison.Ordinal);

        var readOnly = UniqueTable();
        postgres.Psql(PostgresStatements.CreateTable("public", readOnly) + $"; CREATE ROLE reader_{readOnly} LOGIN PASSWORD 'reader-pw'; GRANT SELECT ON {readOnly} TO reader_{readOnly}");
        var reader = Resolve(postgres.Server.Dsn($"reader_{readOnly}", "reader-pw", PostgresServerFixture.Database), readOnly);
        var denied = await _gateway.ProbeAsync(reader, default);
        var refused = await _gateway.WriteAsync(reader, Export([Row("configs", "shop", "a", "uid-a")]), default);
        Assert.False(denied.Verified);
        Assert.Contains("lacks INSERT, UPDATE, DELETE", denied.Message, StringComparison.Ordinal);
        Assert.Equal((PostgresFailure.PermissionDenied, false), (refused.Reason, refused.Transient));
    }

    [Fact]
    public async Task Rows_of_objects_without_a_uid_key_by_their_identity()
    {
        var table = UniqueTable();
        var sink = Resolve(postgres.Dsn(), table);

        await Written(sink, Export(Sorted(Row("configs", "shop", "a", ""), Row("configs", "shop", "b", ""))));

        Assert.Equal(["nouid:/v1/ConfigMap/shop/a|", "nouid:/v1/ConfigMap/shop/b|"], Lines(postgres.Psql($"SELECT source_uid || '|' || (payload->>'uid') FROM {table} ORDER BY 1")));
    }

    [Fact]
    public async Task A_loopback_server_is_refused_at_dial_time_without_the_flag()
    {
        var sink = Resolve(postgres.Dsn(), UniqueTable(), policy: Kollect.Operator.Sinks.Common.EndpointPolicy.PublicOnly);

        var written = await _gateway.WriteAsync(sink, Export([]), default);
        var probed = await _gateway.ProbeAsync(sink, default);

        Assert.Equal((false, PostgresFailure.EndpointDenied), (written.Written, written.Reason));
        Assert.Contains("--allow-loopback-sinks", written.Message, StringComparison.Ordinal);
        Assert.False(probed.Verified);
    }

    private async Task<DatabaseWriteOutcome> Written(DatabaseSinkResolution sink, DatabaseExport export)
    {
        var outcome = await _gateway.WriteAsync(sink, export, default);
        Assert.True(outcome.Written, outcome.Message);
        return outcome;
    }

    private static string Json(ItemRow row) => "$json$" + Encoding.UTF8.GetString(row.Json) + "$json$";

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
