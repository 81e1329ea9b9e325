using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Kollect.Tests.E2e.Local;
using Xunit.Abstractions;

namespace Kollect.Tests.E2e.Faults;

/// <summary>
/// Inputs that go wrong for a part of the pipeline only (issue #13 item 4): a value near the
/// brokers' 1 MB limit arrives byte-exact, a required attribute that fails on some objects costs
/// only their rows, and a ref to a sink that does not exist fails only that ref until it is created.
/// </summary>
public sealed class AwkwardInputTests(ITestOutputHelper output) : FaultScenario(output)
{
    [LocalOnlyFact("part of the local fault suite")]
    public async Task A_large_value_arrives_byte_exact_and_one_near_a_mebibyte_fails_its_refs_clearly_without_retrying()
    {
        // The profile writes the value twice (attribute value, and inside the data map), so a
        // 450 000-byte value makes a ~900 KB message: under both brokers' 1 MB limit. Multi-byte
        // characters, quotes, backslashes and control characters, written raw or escaped.
        var large = Repeat("kollect \"quoted\" back\\slash\ttab é 日本 🚀 ", 450_000);
        var team = await CreateTeamAsync("fault-big", new Dictionary<string, string> { ["small"] = "x" });
        Env.StartOperator();
        await CreateInventoryAsync(team, "0s");
        await WaitForAsync(team, "the first export on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        await CreateConfigMapsAsync(team.Namespace, new Dictionary<string, string> { ["big"] = large });
        var created = Stopwatch.StartNew();
        var kafka = await UntilValueAsync(team, Broker.Kafka, "big", large, created);
        var nats = await UntilValueAsync(team, Broker.Nats, "big", large, created);
        var delivered = await ReadAsync(team);
        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            AssertRows(delivered.On(broker)[^1], team, new Dictionary<string, string> { ["small"] = "x", ["big"] = large });
        }

        // Near 1 MiB (the ConfigMap limit): no broker takes the row; each ref says so, and nothing is retried or sent.
        await ChangeConfigMapAsync(team.Namespace, "big", Repeat("0123456789abcdef", 1_000_000));
        var refused = await WaitForInventoryAsync(team, "both refs to fail with PayloadTooLarge",
            i => new[] { Team.KafkaSink, Team.NatsSink }.All(s =>
                (string?)SinkExport(i, s)?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == "Synced")?["reason"] == "PayloadTooLarge"));
        Assert.Contains("fault-big/big", (string?)SinkExport(refused, Team.NatsSink)!["conditions"]![0]!["message"], StringComparison.Ordinal);
        await QuietPeriodAsync();
        await QuietPeriodAsync();
        var published = await ReadAsync(team);
        Assert.True(published.Kafka.Count == delivered.Kafka.Count && published.Nats.Count == delivered.Nats.Count,
            $"a row no broker takes must not be sent:\nbefore: {delivered}\nafter: {published}");
        Report($"large value ({Encoding.UTF8.GetByteCount(large)} bytes) byte-exact, then ~1 MiB refused", published, allowed: 0, ("kafka", kafka), ("nats", nats));
    }

    private static string Repeat(string unit, int bytes)
    {
        var builder = new StringBuilder();
        var unitBytes = Encoding.UTF8.GetByteCount(unit);
        for (var size = 0; size + unitBytes <= bytes; size += unitBytes)
        {
            builder.Append(unit);
        }
        return builder.ToString();
    }

    [LocalOnlyFact("part of the local fault suite")]
    public async Task A_required_attribute_that_fails_on_some_objects_drops_only_their_rows()
    {
        const string ns = "fault-required";
        var team = new Team(ns);
        await Env.Kube.CreateAsync(Manifests.Namespace(ns));
        // An index on a string is an evaluation error (the objects with data.value fail); on a
        // missing field it is null (the object without data.value gets a row with null).
        await CreateConfigMapsAsync(ns, new Dictionary<string, string> { ["fails-1"] = "text", ["fails-2"] = "more text" });
        var keeps = await Env.Kube.CreateAsync(Manifests.ConfigMap(ns, "keeps", new Dictionary<string, string> { ["other"] = "y" }));
        var profile = Manifests.ConfigMapProfile(ns, Team.Profile);
        profile["spec"]!["attributes"] = new JsonArray
        {
            new JsonObject { ["name"] = "first", ["path"] = "$.data.value[0]", ["type"] = "string" },
        };
        await Env.Kube.CreateAllAsync(
            profile,
            Manifests.Target(ns, Team.Target, Team.Profile),
            Manifests.KafkaSink(ns, Team.KafkaSink, Env.KafkaBootstrap, ScenarioEnvironment.KafkaTopic),
            Manifests.NatsSink(ns, Team.NatsSink, Env.NatsUrl, team.NatsSubject, team.NatsStream));
        Env.StartOperator();
        await CreateInventoryAsync(team, "0s");
        var published = await WaitForAsync(team, "an export on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            var last = published.On(broker)[^1];
            Assert.True(last.ItemNames.SequenceEqual([$"{ns}/keeps"]), $"{broker}: only the object whose required attribute evaluated should have a row: {last}");
            Assert.Equal((string)keeps["metadata"]!["uid"]!, (string?)last.Item(ns, "keeps")["uid"]);
            Assert.True(last.Item(ns, "keeps")["attributes"]!["first"] is null, $"{broker}: a missing field is null: {last.Item(ns, "keeps").ToJsonString()}");
        }
        var target = await Eventually.WaitAsync("the target to report the two failed objects",
            async () => await Env.Kube.GetAsync("KollectTarget", ns, Team.Target) is { } t && t["status"]?["extractionFailures"]?.GetValue<long>() == 2 ? t : null,
            () => Env.DiagnosticsAsync(team.WatchedObjects));
        Assert.Equal("True", Condition(target, "Degraded"));
        await QuietPeriodAsync();
        Report("required attribute failing on 2 of 3 objects", await ReadAsync(team), allowed: 0);
    }

    [LocalOnlyFact("part of the local fault suite")]
    public async Task An_inventory_whose_sink_does_not_exist_exports_to_the_others_and_to_it_once_created()
    {
        var team = await CreateTeamAsync("fault-missing", new Dictionary<string, string> { ["alpha"] = "one" });
        await Env.Kube.DeleteAsync("KollectEventSink", team.Namespace, Team.NatsSink);
        Env.StartOperator();
        await CreateInventoryAsync(team, "0s");
        await WaitForAsync(team, "the export on Kafka", p => p.Kafka.Count >= 1);
        var inventory = await WaitForInventoryAsync(team, "the missing sink's ref to fail with SinkNotFound",
            i => (string?)SinkExport(i, Team.NatsSink)?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == "Synced")?["reason"] == "SinkNotFound");
        Assert.Equal("False", Condition(inventory, "SinkReachable"));
        Assert.Equal("False", Condition(inventory, "Ready"));
        Assert.Empty(Env.ReadNats(team.NatsStream));

        await Env.Kube.CreateAsync(Manifests.NatsSink(team.Namespace, Team.NatsSink, Env.NatsUrl, team.NatsSubject, team.NatsStream));
        var created = Stopwatch.StartNew();
        var nats = await UntilValueAsync(team, Broker.Nats, "alpha", "one", created);
        await WaitForInventoryAsync(team, "Ready=True once the sink exists", i => Condition(i, "Ready") == "True");
        await QuietPeriodAsync();
        var published = await ReadAsync(team);
        Assert.Single(published.Kafka);
        Report("inventory whose sink does not exist, then created", published, allowed: 0, ("nats after the sink was created", nats));
    }
}
