using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>
/// Scenario (7) of issue #6 §5: one sink goes away — its ref fails, the other still exports,
/// the inventory is not Ready; when the sink returns, the pending snapshot arrives (SPEC §2.2, §6.3).
/// </summary>
public sealed class UnreachableSinkTests : OperatorScenario
{
    [Fact]
    public async Task A_stopped_nats_server_fails_only_its_ref_and_the_export_recovers_when_it_returns()
    {
        var configMaps = new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "two" };
        var team = await CreateTeamAsync("team-outage", configMaps);
        Env.StartOperator();
        await CreateInventoryAsync(team, "0s");
        var first = await WaitForAsync(team, "the first export on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        var natsBefore = first.Nats.Count;

        await Env.StopNatsAsync();
        await ChangeConfigMapAsync(team.Namespace, "beta", "changed during the outage");
        var duringOutage = await Eventually.WaitAsync(
            "the change exported to Kafka while NATS is down",
            async () =>
            {
                var messages = (await Env.ReadKafkaAsync()).Where(m => m.Header("kollect-inventory") == team.InventoryHeader);
                var latest = EnvelopeVerifier.VerifyAll(messages, team.InventoryHeader).LastOrDefault();
                return latest is not null && (string?)latest.Item(team.Namespace, "beta")["attributes"]!["value"] == "changed during the outage" ? latest : null;
            },
            () => Env.DiagnosticsAsync(team.WatchedObjects));

        var degraded = await WaitForInventoryAsync(team, "Ready=False and the NATS ref's Synced=False while NATS is down",
            i => Condition(i, "Ready") == "False" && ConditionIn(SinkExport(i, Team.NatsSink), "Synced") == "False");
        Assert.Equal(duringOutage.Checksum, (string?)SinkExport(degraded, Team.KafkaSink)?["lastChecksum"]);
        Assert.Equal(first.Nats[^1].Checksum, (string?)SinkExport(degraded, Team.NatsSink)?["lastChecksum"]);

        await Env.StartNatsAsync();
        // Ask for an immediate connection test instead of waiting out its backoff (SPEC §6.3).
        await Env.Kube.AnnotateAsync("KollectEventSink", team.Namespace, Team.NatsSink, "kollect.dev/test-connection", "true");
        var recovered = await WaitForAsync(team, "the pending snapshot on NATS once the server is back",
            p => p.Nats.Count > natsBefore && p.Nats[^1].Checksum == duringOutage.Checksum, TimeSpan.FromSeconds(90));
        AssertRows(recovered.Nats[^1], team, new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "changed during the outage" });
        await WaitForInventoryAsync(team, "Ready=True after recovery",
            i => Condition(i, "Ready") == "True" && (string?)SinkExport(i, Team.NatsSink)?["lastChecksum"] == duringOutage.Checksum);
    }
}
