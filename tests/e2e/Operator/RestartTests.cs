using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>
/// Scenario (5) of issue #6 §5: the debounce state lives in <c>status.sinkExports</c>, so a
/// restarted operator does not re-publish unchanged content (SPEC §4).
/// </summary>
public sealed class RestartTests : OperatorScenario
{
    [Fact]
    public async Task A_restarted_operator_does_not_republish_unchanged_content()
    {
        var steady = await CreateTeamAsync("team-steady", new Dictionary<string, string> { ["alpha"] = "one" });
        var marker = await CreateTeamAsync("team-marker", new Dictionary<string, string> { ["beta"] = "two" });
        var first = Env.StartOperator();
        // Interval 0s: only changed content may ever be sent, so any second message of team-steady is a re-publish.
        await CreateInventoryAsync(steady, "0s");
        await CreateInventoryAsync(marker, "0s");
        var before = await WaitForAsync(steady, "the first export of team-steady on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        await WaitForAsync(marker, "the first export of team-marker on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        await WaitForInventoryAsync(steady, "status.sinkExports recorded for both sinks",
            i => SinkExport(i, Team.KafkaSink)?["lastChecksum"] is not null && SinkExport(i, Team.NatsSink)?["lastChecksum"] is not null);

        await first.StopAsync();
        Env.StartOperator();

        // A change in the other namespace after the restart: once it is exported, the new
        // operator has listed and reconciled everything, team-steady included.
        await ChangeConfigMapAsync(marker.Namespace, "beta", "two, after the restart");
        await WaitForAsync(marker, "team-marker's change exported by the restarted operator",
            p => p.Kafka.Count >= 2 && p.Nats.Count >= 2);
        await QuietPeriodAsync();

        var after = await ReadAsync(steady);
        Assert.True(after.Kafka.Count == before.Kafka.Count && after.Nats.Count == before.Nats.Count,
            $"the restarted operator re-published team-steady's unchanged content:\n{after}\n{await Env.DiagnosticsAsync(steady.WatchedObjects)}");
    }
}
