using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>Scenario (2) of issue #6 §5: a change is exported at once; unchanged content only per the debounce interval (SPEC §4).</summary>
public sealed class DebounceTests : OperatorScenario
{
    [Fact]
    public async Task An_object_change_is_exported_and_interval_0s_never_resends_unchanged_content()
    {
        var configMaps = new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "two" };
        var team = await CreateTeamAsync("team-change", configMaps);
        Env.StartOperator();
        await CreateInventoryAsync(team, "0s");
        var first = await WaitForAsync(team, "the first export of both ConfigMaps on each broker",
            p => p.Kafka.Any(e => e.ItemCount == 2) && p.Nats.Any(e => e.ItemCount == 2));
        var before = (Kafka: first.Kafka.Count, Nats: first.Nats.Count);

        await ChangeConfigMapAsync(team.Namespace, "beta", "two, changed");
        configMaps["beta"] = "two, changed";
        var changed = await WaitForAsync(team, "a new message with the changed value on each broker",
            p => p.Kafka.Count > before.Kafka && p.Nats.Count > before.Nats
                 && (string?)p.Kafka[^1].Item(team.Namespace, "beta")["attributes"]!["value"] == "two, changed"
                 && (string?)p.Nats[^1].Item(team.Namespace, "beta")["attributes"]!["value"] == "two, changed");
        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            var latest = changed.On(broker)[^1];
            AssertRows(latest, team, configMaps);
            Assert.NotEqual(first.On(broker)[^1].Checksum, latest.Checksum);
            Assert.Equal(first.On(broker)[^1].Generation, latest.Generation);
        }

        // Reasons to reconcile that change nothing exported: an annotation on the inventory
        // (no generation bump) and a ConfigMap the target does not select.
        var settled = (Kafka: changed.Kafka.Count, Nats: changed.Nats.Count);
        await Env.Kube.AnnotateAsync("KollectInventory", team.Namespace, Team.Inventory, "e2e.kollect.dev/touch", "1");
        await Env.Kube.CreateAsync(Manifests.ConfigMap(team.Namespace, "not-collected", "x", collected: false));
        await QuietPeriodAsync();
        var after = await ReadAsync(team);
        Assert.True(after.Kafka.Count == settled.Kafka && after.Nats.Count == settled.Nats,
            $"interval 0s re-sent unchanged content:\n{after}\n{await Env.DiagnosticsAsync(team.WatchedObjects)}");
    }

    [Fact]
    public async Task Interval_2s_on_a_ref_resends_unchanged_content_after_the_interval_and_only_on_that_ref()
    {
        var configMaps = new Dictionary<string, string> { ["alpha"] = "one" };
        var team = await CreateTeamAsync("team-interval", configMaps);
        Env.StartOperator();
        // Kafka: string ref, so the inventory's 0s applies; NATS: the ref's own 2s wins (ref ?? sink ?? inventory, SPEC §4).
        await CreateInventoryAsync(team, "0s", Team.KafkaSink, Manifests.Ref(Team.NatsSink, exportMinInterval: "2s"));
        var first = await WaitForAsync(team, "the first export on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        var firstNats = first.Nats[0];

        // Keep giving the operator reasons to reconcile (annotations do not bump the generation)
        // until the NATS ref re-sends the unchanged snapshot.
        var touches = 0;
        var resent = await Eventually.WaitAsync(
            "the NATS ref (exportMinInterval 2s) to re-send the unchanged snapshot",
            async () =>
            {
                await Env.Kube.AnnotateAsync("KollectInventory", team.Namespace, Team.Inventory, "e2e.kollect.dev/touch", (++touches).ToString(System.Globalization.CultureInfo.InvariantCulture));
                var read = await ReadAsync(team);
                return read.Nats.Count >= 2 ? read : null;
            },
            () => Env.DiagnosticsAsync(team.WatchedObjects));

        var second = resent.Nats[1];
        Assert.Equal(firstNats.Checksum, second.Checksum);
        Assert.Equal(firstNats.Generation, second.Generation);
        Assert.True(second.Timestamp - firstNats.Timestamp >= TimeSpan.FromSeconds(2),
            $"the re-send came before the 2s interval had elapsed: first published {firstNats.Timestamp:O}, second {second.Timestamp:O}");
        Assert.True(resent.Kafka.Count == 1, $"the Kafka ref (interval 0s) re-sent unchanged content:\n{resent}");
    }
}
