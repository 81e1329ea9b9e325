using System.Diagnostics;
using Kollect.Tests.E2e.Local;
using Xunit.Abstractions;

namespace Kollect.Tests.E2e.Faults;

/// <summary>
/// The API server goes away for longer than the renew deadline (issue #13 item 2): the operator
/// loses the lease but does not exit, publishes nothing while it may not lead, keeps its watches
/// and rows, wins the lease back when the server returns and exports the next change, with at
/// most one duplicate per sink.
/// </summary>
public sealed class ApiServerOutageTests(ITestOutputHelper output) : FaultScenario(output)
{
    private static TimeSpan Outage => Full ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(14);

    [LocalOnlyFact("stops the test API server's listener and restarts it on the same port with its objects")]
    public async Task An_api_server_outage_longer_than_the_renew_deadline_costs_no_exit_and_no_lost_state()
    {
        var team = await CreateTeamAsync("fault-apiserver", new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "two" });
        var @operator = Local.StartOperatorWith(LeaderElect, new Dictionary<string, string> { ["POD_NAME"] = "kollect-apiserver-0" });
        await CreateInventoryAsync(team, "0s");
        await WaitForAsync(team, "the first export on each broker", p => p.Kafka.Count >= 1 && p.Nats.Count >= 1);
        // A change just before the outage: its export and status patch may be cut off half way.
        await ChangeConfigMapAsync(team.Namespace, "beta", "changed just before the outage");

        await Local.StopApiServerAsync();
        var down = Stopwatch.StartNew();
        await Task.Delay(Outage);
        Assert.False(@operator.HasExited, $"the operator exited during the API server outage\n{@operator.Excerpt()}");
        await Local.StartApiServerAsync();
        var up = Stopwatch.StartNew();
        var outage = down.Elapsed;

        await WaitForLogAsync(@operator, "leadership lost", team);
        // The second term (the first began at start), in the same process.
        await WaitForLogAsync(@operator, "leadership term began", team, times: 2);
        var reacquired = up.Elapsed;
        await ChangeConfigMapAsync(team.Namespace, "alpha", "changed after the outage");
        var changed = Stopwatch.StartNew();
        var kafka = await UntilValueAsync(team, Broker.Kafka, "alpha", "changed after the outage", changed);
        var nats = await UntilValueAsync(team, Broker.Nats, "alpha", "changed after the outage", changed);
        await QuietPeriodAsync();
        Assert.False(@operator.HasExited, $"the operator exited after the outage\n{@operator.Excerpt()}");
        var published = await ReadAsync(team);
        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            Assert.True(HasValue(published.On(broker)[^1], team, "beta", "changed just before the outage"), $"{broker} lost the change made before the outage:\n{published}");
        }
        Report($"API server outage {outage.TotalSeconds:0} s (lease 15/10/2 s)", published, allowed: 1,
            ("lease re-acquired after server back", reacquired), ("next change on kafka", kafka), ("next change on nats", nats));
    }
}
