using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Export;

/// <summary>
/// Issue #16, "Done when": one inventory with a Kafka, a NATS and a PostgreSQL ref; the AOT binary's
/// <c>kollect export</c> publishes to both brokers and writes the rows to a real PostgreSQL in one
/// transaction, read back with psql and compared with the envelopes' items; the next export after an
/// object is gone deletes its row. The database password is the workspace's canary.
/// </summary>
[Collection(LocalModeCollection.Name)]
public sealed class DatabaseSinkExportTests : IDisposable
{
    private const string Table = "kollect_items";
    private readonly ExportWorkspace _workspace = new();
    private readonly KafkaMockCluster _kafka = new();
    private readonly NatsServerProcess _nats;
    private readonly PostgresServerProcess _postgres;

    public DatabaseSinkExportTests()
    {
        _kafka.CreateTopic(ExportWorkspace.Topic, partitions: 1);
        _nats = NatsServerProcess.Start(ExportCommandTests.WriteNatsConfig);
        _postgres = PostgresServerProcess.Start();
        _postgres.CreateDatabase("inventory", "kollect", ExportWorkspace.Canary);
        _workspace.WriteConfig(_kafka.Bootstrap, _nats.Url);
        _workspace.WriteDatabaseSink(_postgres.Dsn("kollect", ExportWorkspace.Canary, "inventory"), Table);
        _workspace.WriteObjects();
    }

    [Fact]
    public async Task One_inventory_exports_to_kafka_nats_and_postgres_and_the_table_follows_the_objects()
    {
        var first = await _workspace.ExportAsync("--allow-loopback-sinks");

        Assert.True(first.ExitCode == 0, $"expected exit 0:\n{first}");
        Assert.Contains("database/inventory-db", first.StdOut, StringComparison.Ordinal);
        var kafka = EnvelopeVerifier.Verify(Assert.Single(await KafkaTopicReader.ReadAsync(_kafka.Bootstrap, ExportWorkspace.Topic)), ExportWorkspace.InventoryHeader);
        var nats = EnvelopeVerifier.Verify(Assert.Single(NatsStreamReader.Read(_nats.Port, ExportWorkspace.NatsStream)), ExportWorkspace.InventoryHeader);
        Assert.Equal(kafka.Checksum, nats.Checksum);
        Assert.Equal(
            ["team-a|inventory|cm-target|00000000-0000-0000-0000-00000000000a|e2e-export|team-a",
             "team-a|inventory|cm-target|00000000-0000-0000-0000-00000000000b|e2e-export|team-a",
             "team-a|inventory|cm-target|00000000-0000-0000-0000-00000000000c|e2e-export|team-a"],
            Rows("SELECT inventory_namespace, inventory_name, target_name, source_uid, cluster, resource_namespace FROM kollect_items ORDER BY source_uid"));
        foreach (var item in kafka.Items)
        {
            // Each row's payload is the envelope's item (compared as jsonb: PostgreSQL normalises the text).
            var json = item.ToJsonString().Replace("$", "\\u0024", StringComparison.Ordinal);
            Assert.Equal("t", _postgres.Psql($"SELECT payload = $j${json}$j$::jsonb FROM kollect_items WHERE source_uid = '{(string?)item["uid"]}'", "inventory"));
        }
        Assert.DoesNotContain(ExportWorkspace.Canary, _postgres.Psql("SELECT string_agg(payload::text, '') FROM kollect_items", "inventory"), StringComparison.Ordinal);

        _workspace.RemoveObject("beta");
        var second = await _workspace.ExportAsync("--allow-loopback-sinks");

        Assert.True(second.ExitCode == 0, $"expected exit 0:\n{second}");
        Assert.Contains("2 row(s) upserted, 1 deleted in one transaction", second.StdOut, StringComparison.Ordinal);
        Assert.Equal(["alpha", "creds"], Rows("SELECT payload->>'name' FROM kollect_items ORDER BY 1"));
    }

    [Fact]
    public async Task A_wrong_database_password_fails_only_the_database_ref_and_is_not_printed()
    {
        _workspace.WriteDatabaseSink(_postgres.Dsn("kollect", "wrong-" + ExportWorkspace.Canary, "inventory"), Table);

        var result = await _workspace.ExportAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 1, $"expected exit 1 (partial failure):\n{result}");
        Assert.Contains("AuthenticationFailed", result.StdOut, StringComparison.Ordinal);
        Assert.Single(await KafkaTopicReader.ReadAsync(_kafka.Bootstrap, ExportWorkspace.Topic));
        Assert.Single(NatsStreamReader.Read(_nats.Port, ExportWorkspace.NatsStream));
    }

    [Fact]
    public async Task Kollect_probe_tests_a_database_sink()
    {
        var verified = await KollectBinary.RunAsync("probe", "-f", Path.Combine(_workspace.ConfigDirectory, "database-sink.yaml"),
            "--secrets", Path.Combine(_workspace.ConfigDirectory, "database-secret.yaml"), "--allow-loopback-sinks");
        _workspace.WriteDatabaseSink(_postgres.Dsn("kollect", "wrong-" + ExportWorkspace.Canary, "inventory"), Table);
        var failed = await KollectBinary.RunAsync("probe", "-f", Path.Combine(_workspace.ConfigDirectory, "database-sink.yaml"),
            "--secrets", Path.Combine(_workspace.ConfigDirectory, "database-secret.yaml"), "--allow-loopback-sinks", "-v");

        Assert.True(verified.ExitCode == 0, $"expected exit 0:\n{verified}");
        Assert.Contains("created at the first export", verified.StdOut, StringComparison.Ordinal);
        Assert.True(failed.ExitCode == 1, $"expected exit 1:\n{failed}");
        Assert.Contains("AuthenticationFailed", failed.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(ExportWorkspace.Canary, failed.StdOut + failed.StdErr, StringComparison.Ordinal);
    }

    private string[] Rows(string sql) => _postgres.Psql(sql, "inventory").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose()
    {
        _postgres.Dispose();
        _nats.Dispose();
        _kafka.Dispose();
        _workspace.Dispose();
    }
}
