using System.Diagnostics;
using Kollect.Tests.E2e.Local;
using Xunit.Abstractions;

namespace Kollect.Tests.E2e.Faults;

/// <summary>
/// The operator itself dies (issue #13 item 3): after SIGKILL a restarted container of the same
/// pod (same POD_NAME) takes its own lease back at once and exports the change made meanwhile,
/// with at most one duplicate per sink; after SIGTERM a restart re-publishes nothing.
/// </summary>
public sealed class OperatorKillTests(ITestOutputHelper output) : FaultScenario(output)
{
    private static readonly Dictionary<string, string> Pod = new() { ["POD_NAME"] = "kollect-restart-0" };

    [LocalOnlyFact("SIGKILLs the operator process and restarts it with the same POD_NAME")]
    public async Task A_sigkilled_operator_restarted_as_the_same_pod_exports_at_once_and_sigterm_republishes_nothing()
    {
        var team = await CreateTeamAsync("fault-kill", new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "two" });
        var first = Local.StartOperatorWith(LeaderElect, Pod);
        await CreateInventoryAsync(team, "0s");
        await WaitForAsync(team, "the first export on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        await WaitForInventoryAsync(team, "status.sinkExports recorded for both sinks",
            i => SinkExport(i, Team.KafkaSink)?["lastChecksum"] is not null && SinkExport(i, Team.NatsSink)?["lastChecksum"] is not null);

        await first.KillAsync();
        await ChangeConfigMapAsync(team.Namespace, "beta", "changed while the operator was dead");
        var restarted = Stopwatch.StartNew();
        var second = Local.StartOperatorWith(LeaderElect, Pod);
        var kafka = await UntilValueAsync(team, Broker.Kafka, "beta", "changed while the operator was dead", restarted);
        var nats = await UntilValueAsync(team, Broker.Nats, "beta", "changed while the operator was dead", restarted);
        await QuietPeriodAsync();
        var afterKill = await ReadAsync(team);
        Report("operator SIGKILL + restart, same POD_NAME", afterKill, allowed: 1, ("final state on kafka after start", kafka), ("on nats", nats));

        await WaitForInventoryAsync(team, "status.sinkExports of the change recorded",
            i => (string?)SinkExport(i, Team.KafkaSink)?["lastChecksum"] == afterKill.Kafka[^1].Checksum
                && (string?)SinkExport(i, Team.NatsSink)?["lastChecksum"] == afterKill.Nats[^1].Checksum);
        await second.StopAsync();
        Assert.Equal(0, second.ExitCode);
        var third = Local.StartOperatorWith(LeaderElect, Pod);
        await WaitForLogAsync(third, "acquired the leader lease", team);
        // The restarted operator has reconciled everything once this change is out.
        await ChangeConfigMapAsync(team.Namespace, "alpha", "changed after the graceful restart");
        var graceful = Stopwatch.StartNew();
        var kafkaAfterTerm = await UntilValueAsync(team, Broker.Kafka, "alpha", "changed after the graceful restart", graceful);
        await UntilValueAsync(team, Broker.Nats, "alpha", "changed after the graceful restart", graceful);
        await QuietPeriodAsync();
        var afterTerm = await ReadAsync(team);
        Assert.True(afterTerm.Kafka.Count == afterKill.Kafka.Count + 1 && afterTerm.Nats.Count == afterKill.Nats.Count + 1,
            $"after SIGTERM and a restart exactly one new message per broker was expected (the change):\nbefore: {afterKill}\nafter: {afterTerm}");
        Report("operator SIGTERM + restart", afterTerm, allowed: 1, ("next change on kafka", kafkaAfterTerm));
        Assert.Equal(Duplicates(afterKill.Kafka), Duplicates(afterTerm.Kafka));
        Assert.Equal(Duplicates(afterKill.Nats), Duplicates(afterTerm.Nats));
    }

    [LocalOnlyFact("runs two operator processes and SIGKILLs the leader")]
    public async Task When_the_leader_is_sigkilled_the_standby_takes_over_after_the_lease_expires()
    {
        var team = await CreateTeamAsync("fault-handover", new Dictionary<string, string> { ["alpha"] = "one" });
        var a = Local.StartOperatorWith(LeaderElect, new Dictionary<string, string> { ["POD_NAME"] = "kollect-a" });
        await CreateInventoryAsync(team, "0s");
        await WaitForAsync(team, "the first export on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        var b = Local.StartOperatorWith(LeaderElect, new Dictionary<string, string> { ["POD_NAME"] = "kollect-b" });
        await WaitForLogAsync(b, "waiting to acquire the leader lease", team);
        Assert.Equal("kollect-a", await LeaseHolderAsync());

        await a.KillAsync();
        var killed = Stopwatch.StartNew();
        await ChangeConfigMapAsync(team.Namespace, "alpha", "changed after the leader died");
        var kafka = await UntilValueAsync(team, Broker.Kafka, "alpha", "changed after the leader died", killed);
        var nats = await UntilValueAsync(team, Broker.Nats, "alpha", "changed after the leader died", killed);
        Assert.Equal("kollect-b", await LeaseHolderAsync());
        await QuietPeriodAsync();
        Report("leader SIGKILL, standby takes over (lease 15 s)", await ReadAsync(team), allowed: 1, ("kafka after kill", kafka), ("nats after kill", nats));
    }
}
