using System.Diagnostics;
using Kollect.Tests.E2e.Local;
using Xunit.Abstractions;

namespace Kollect.Tests.E2e.Faults;

/// <summary>
/// Broker outages (issue #13 item 1, SPEC §6.3): while one broker is away, changes still reach the
/// other at once — a publish blocked on one sink never delays another ref — and when it comes back
/// it receives the final state, with at most one duplicate per sink.
/// </summary>
public sealed class BrokerOutageTests(ITestOutputHelper output) : FaultScenario(output)
{
    private static TimeSpan Outage => Full ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(6);

    [LocalOnlyFact("kills nats-server and restarts it on the same port and store")]
    public async Task Nats_killed_and_restarted_never_delays_kafka_and_gets_the_final_state()
    {
        var team = await CreateTeamAsync("fault-nats", new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "two" });
        Env.StartOperator();
        await CreateInventoryAsync(team, "0s");
        await WaitForAsync(team, "the first export on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);

        await Env.StopNatsAsync();
        var down = Stopwatch.StartNew();
        await ChangeConfigMapAsync(team.Namespace, "beta", "changed while NATS is down");
        var changed = Stopwatch.StartNew();
        var kafkaFirst = await UntilValueAsync(team, Broker.Kafka, "beta", "changed while NATS is down", changed);
        // A second change while the NATS ref is still failing (or its circuit open): Kafka gets it too.
        await ChangeConfigMapAsync(team.Namespace, "alpha", "changed later while NATS is down");
        var second = Stopwatch.StartNew();
        var kafkaSecond = await UntilValueAsync(team, Broker.Kafka, "alpha", "changed later while NATS is down", second);
        if (down.Elapsed < Outage)
        {
            await Task.Delay(Outage - down.Elapsed);
        }

        await Env.StartNatsAsync();
        var up = Stopwatch.StartNew();
        var recovery = await UntilValueAsync(team, Broker.Nats, "alpha", "changed later while NATS is down", up);
        await QuietPeriodAsync();
        var published = await ReadAsync(team);
        Assert.True(HasValue(published.Nats[^1], team, "beta", "changed while NATS is down"), $"NATS lacks the first change:\n{published}");
        Report("nats-server SIGKILL + restart (same port, store)", published, allowed: 1,
            ("kafka got change 1 after", kafkaFirst), ("kafka got change 2 after", kafkaSecond), ("outage", down.Elapsed - up.Elapsed), ("nats final state after restart", recovery));
    }

    [LocalOnlyFact("takes the Kafka mock's broker down with rd_kafka_mock_broker_set_down")]
    public async Task Kafka_broker_down_never_delays_nats_and_gets_the_final_state()
    {
        var team = await CreateTeamAsync("fault-kafka", new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "two" });
        Env.StartOperator();
        await CreateInventoryAsync(team, "0s");
        await WaitForAsync(team, "the first export on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);

        Local.SetKafkaDown(true);
        var down = Stopwatch.StartNew();
        await ChangeConfigMapAsync(team.Namespace, "beta", "changed while Kafka is down");
        var changed = Stopwatch.StartNew();
        var natsFirst = await UntilValueAsync(team, Broker.Nats, "beta", "changed while Kafka is down", changed);
        await ChangeConfigMapAsync(team.Namespace, "alpha", "changed later while Kafka is down");
        var second = Stopwatch.StartNew();
        var natsSecond = await UntilValueAsync(team, Broker.Nats, "alpha", "changed later while Kafka is down", second);
        if (down.Elapsed < Outage)
        {
            await Task.Delay(Outage - down.Elapsed);
        }

        Local.SetKafkaDown(false);
        var up = Stopwatch.StartNew();
        var recovery = await UntilValueAsync(team, Broker.Kafka, "alpha", "changed later while Kafka is down", up);
        await QuietPeriodAsync();
        var published = await ReadAsync(team);
        Report("Kafka mock broker down + up", published, allowed: 1,
            ("nats got change 1 after", natsFirst), ("nats got change 2 after", natsSecond), ("outage", down.Elapsed - up.Elapsed), ("kafka final state after up", recovery));
    }
}
