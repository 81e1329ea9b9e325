using System.Text.Json.Nodes;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>
/// Issue #16 in operator mode (the AOT binary against the test API server): an inventory with a
/// Kafka, a NATS and a PostgreSQL ref. The database sink is tested and Ready, the table holds the rows
/// the messages carry (read back with psql), a deleted object's row goes with the next export, a
/// database sink with a wrong password fails only its own ref, without its password anywhere, and
/// fixing its Secret re-tests it and lets its ref export.
/// </summary>
public sealed class DatabaseSinkTests : OperatorScenario, IDisposable
{
    private const string Password = "db-canary-Ro83";
    private readonly PostgresServerProcess _postgres;

    public DatabaseSinkTests()
    {
        _postgres = PostgresServerProcess.Start();
        _postgres.CreateDatabase("inventory", "kollect", Password);
    }

    [LocalOnlyFact("the PostgreSQL server runs on this machine's loopback, out of a kind cluster's reach")]
    public async Task The_table_follows_the_inventory_beside_kafka_and_nats_and_a_bad_database_fails_only_its_ref()
    {
        var configMaps = new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = AwkwardValue };
        var team = await CreateTeamAsync("team-db", configMaps);
        await Env.Kube.CreateAllAsync(
            Manifests.Secret(team.Namespace, "pg-dsn", new Dictionary<string, string> { ["dsn"] = _postgres.Dsn("kollect", Password, "inventory") }),
            Manifests.Secret(team.Namespace, "pg-wrong", new Dictionary<string, string> { ["dsn"] = _postgres.Dsn("kollect", "wrong-" + Password, "inventory") }),
            DatabaseSink(team.Namespace, "pg", "pg-dsn"),
            DatabaseSink(team.Namespace, "pg-broken", "pg-wrong"));
        var op = Env.StartOperator();
        await WaitForCollectedAsync(team, configMaps.Count);

        var inventory = Manifests.Inventory(team.Namespace, Team.Inventory, "0s", team.DefaultRefs);
        inventory["spec"]!["databaseSinkRefs"] = new JsonArray(JsonValue.Create("pg"), new JsonObject { ["name"] = "pg-broken" });
        await Env.Kube.CreateAsync(inventory);

        var status = await WaitForInventoryAsync(team, "database/pg exported and database/pg-broken failed",
            i => Export(i, "database/pg")?["lastChecksum"] is not null && SinkExport(i, Team.KafkaSink)?["lastChecksum"] is not null
                && ConditionIn(Export(i, "database/pg-broken"), "Synced") == "False");
        var published = await WaitForAsync(team, "one message on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);

        var checksum = (string?)Export(status, "database/pg")!["lastChecksum"];
        Assert.Equal(published.Kafka[0].Checksum, checksum);
        Assert.Equal("False", Condition(status, "Ready"));
        Assert.Equal("False", Condition(status, "SinkReachable"));
        Assert.Equal("True", ConditionIn(Export(status, "database/pg"), "Synced"));
        Assert.Equal(
            published.Kafka[0].Items.Select(i => $"{(string?)i["uid"]}|{(string?)i["name"]}").Order(StringComparer.Ordinal),
            Rows("SELECT source_uid || '|' || (payload->>'name') FROM kollect_items ORDER BY 1"));
        var good = await Env.Kube.GetAsync("KollectDatabaseSink", team.Namespace, "pg");
        var broken = await Env.Kube.GetAsync("KollectDatabaseSink", team.Namespace, "pg-broken");
        Assert.Equal("True", Condition(good!, "Ready"));
        Assert.Equal("False", Condition(broken!, "ConnectionVerified"));
        Assert.Contains("password authentication failed", ConditionMessage(broken!, "ConnectionVerified"), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, status.ToJsonString() + broken!.ToJsonString() + good!.ToJsonString(), StringComparison.Ordinal);

        // A KollectConnectionTest of a database sink probes it once and belongs to it.
        await Env.Kube.CreateAsync(new JsonObject
        {
            ["apiVersion"] = "kollect.dev/v1alpha1",
            ["kind"] = "KollectConnectionTest",
            ["metadata"] = new JsonObject { ["name"] = "pg-probe", ["namespace"] = team.Namespace },
            ["spec"] = new JsonObject { ["sinkRef"] = new JsonObject { ["databaseSinkRef"] = "pg" } },
        });
        var probe = await Eventually.WaitAsync(
            "KollectConnectionTest pg-probe to complete",
            async () => await Env.Kube.GetAsync("KollectConnectionTest", team.Namespace, "pg-probe") is { } t && (bool?)t["status"]?["completed"] == true ? t : null,
            () => Env.DiagnosticsAsync(team.WatchedObjects),
            () => "",
            null);
        Assert.Equal("Succeeded", (string?)probe["status"]!["result"]);
        Assert.Equal("KollectDatabaseSink", (string?)probe["metadata"]!["ownerReferences"]![0]!["kind"]);

        await Env.Kube.DeleteAsync("ConfigMap", team.Namespace, "beta");
        await WaitForInventoryAsync(team, "database/pg re-exported without beta",
            i => (string?)Export(i, "database/pg")?["lastChecksum"] is { } next && next != checksum);
        Assert.Equal(["alpha"], Rows("SELECT payload->>'name' FROM kollect_items"));

        // Fixing the broken sink's Secret re-tests it (SPEC §6.3), and its ref exports without any inventory change.
        var fixedDsn = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(_postgres.Dsn("kollect", Password, "inventory")));
        await Env.Kube.MergePatchAsync("Secret", team.Namespace, "pg-wrong", new JsonObject { ["data"] = new JsonObject { ["dsn"] = fixedDsn } });
        var healed = await WaitForInventoryAsync(team, "database/pg-broken exported after its Secret was fixed",
            i => Export(i, "database/pg-broken")?["lastChecksum"] is not null && Condition(i, "Ready") == "True");
        Assert.Equal((string?)Export(healed, "database/pg")!["lastChecksum"], (string?)Export(healed, "database/pg-broken")!["lastChecksum"]);
        Assert.DoesNotContain(Password, string.Join("\n", op.Logs.Select(l => l.GetRawText())), StringComparison.Ordinal);
    }

    public void Dispose() => _postgres.Dispose();

    private string[] Rows(string sql) => _postgres.Psql(sql, "inventory").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static JsonObject? Export(JsonObject inventory, string name) =>
        inventory["status"]?["sinkExports"]?.AsArray().FirstOrDefault(e => (string?)e?["name"] == name)?.AsObject();

    private static string ConditionMessage(JsonObject resource, string type) =>
        resource["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == type)?["message"]?.GetValue<string>() ?? "";

    private static JsonObject DatabaseSink(string ns, string name, string secret) => new()
    {
        ["apiVersion"] = "kollect.dev/v1alpha1",
        ["kind"] = "KollectDatabaseSink",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["type"] = "postgres",
            ["cluster"] = LocalEnvironment.ClusterName,
            ["postgres"] = new JsonObject { ["databaseRef"] = new JsonObject { ["name"] = secret }, ["table"] = "kollect_items" },
        },
    };
}
