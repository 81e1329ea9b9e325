using System.Text.Json.Nodes;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>Scenario (3) of issue #6 §5: an inventory spec edit bumps the generation and is exported at once (SPEC §4 debounce).</summary>
public sealed class GenerationBumpTests : OperatorScenario
{
    [Fact]
    public async Task A_spec_edit_exports_the_same_rows_with_the_new_generation_despite_a_long_interval()
    {
        var configMaps = new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "two" };
        var team = await CreateTeamAsync("team-generation", configMaps);
        Env.StartOperator();
        // 10m: anything re-sent during this test is due to the generation, not to the interval.
        await CreateInventoryAsync(team, "10m");
        var first = await WaitForAsync(team, "the first export of both ConfigMaps on each broker",
            p => p.Kafka.Any(e => e.ItemCount == 2) && p.Nats.Any(e => e.ItemCount == 2));

        var edited = await Env.Kube.MergePatchAsync("KollectInventory", team.Namespace, Team.Inventory,
            new JsonObject { ["spec"] = new JsonObject { ["maxExportBytes"] = 1_000_000 } });
        var generation = edited["metadata"]!["generation"]!.GetValue<long>();
        Assert.True(generation > first.Kafka[^1].Generation, $"the test API server did not bump the generation ({generation})");

        var bumped = await WaitForAsync(team, $"a message with generation {generation} on each broker",
            p => p.Kafka.Any(e => e.Generation == generation) && p.Nats.Any(e => e.Generation == generation));
        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            var latest = bumped.On(broker)[^1];
            Assert.Equal(generation, latest.Generation);
            Assert.Equal(first.On(broker)[^1].Checksum, latest.Checksum);
            AssertRows(latest, team, configMaps);
        }
        var status = await WaitForInventoryAsync(team, $"status.sinkExports lastGeneration {generation} for both sinks",
            i => SinkExport(i, Team.KafkaSink)?["lastGeneration"]?.GetValue<long>() == generation
                 && SinkExport(i, Team.NatsSink)?["lastGeneration"]?.GetValue<long>() == generation);
        Assert.Equal(generation, status["status"]!["observedGeneration"]!.GetValue<long>());
    }
}
