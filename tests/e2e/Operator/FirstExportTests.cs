using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>Scenario (1) of issue #6 §5: profile + target + Kafka and NATS sinks + an inventory with a string ref and an object ref.</summary>
public sealed class FirstExportTests : OperatorScenario
{
    [Fact]
    public async Task Each_sink_receives_one_verified_message_whose_checksum_the_status_records()
    {
        var configMaps = new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = AwkwardValue, ["gamma"] = "three" };
        var team = await CreateTeamAsync("team-first", configMaps);
        Env.StartOperator();
        await WaitForCollectedAsync(team, configMaps.Count);

        var inventory = await CreateInventoryAsync(team, "0s");
        var generation = inventory["metadata"]!["generation"]!.GetValue<long>();

        var published = await WaitForAsync(team, "one message on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        var status = await WaitForInventoryAsync(team, "status.sinkExports for both sinks and Ready=True",
            i => SinkExport(i, Team.KafkaSink)?["lastChecksum"] is not null && SinkExport(i, Team.NatsSink)?["lastChecksum"] is not null && Condition(i, "Ready") == "True");
        await QuietPeriodAsync();
        published = await ReadAsync(team);

        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            var envelope = Assert.Single(published.On(broker));
            Assert.Equal(ScenarioEnvironment.ClusterName, envelope.Cluster);
            Assert.Equal(team.Namespace, envelope.Namespace);
            Assert.Equal(generation, envelope.Generation);
            Assert.Null(envelope.PartTotal);
            AssertRows(envelope, team, configMaps);
            var sink = broker == Broker.Kafka ? Team.KafkaSink : Team.NatsSink;
            var export = SinkExport(status, sink)!;
            Assert.True((string?)export["lastChecksum"] == envelope.Checksum, $"status.sinkExports[event/{sink}].lastChecksum {export["lastChecksum"]} but the {broker} message carries {envelope.Checksum}");
            Assert.True(export["lastGeneration"]?.GetValue<long>() == generation, $"status.sinkExports[event/{sink}].lastGeneration {export["lastGeneration"]}, expected {generation}");
        }
        Assert.Equal(published.Kafka[0].Checksum, published.Nats[0].Checksum);
        Assert.Equal(configMaps.Count, status["status"]!["itemCount"]!.GetValue<long>());
        Assert.Equal("True", Condition(status, "Synced"));
        Assert.Equal("True", Condition(status, "SinkReachable"));
    }
}
