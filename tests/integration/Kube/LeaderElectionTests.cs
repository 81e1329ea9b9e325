using k8s.Models;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;
using Kollect.Tests.Integration.KubeApiServer;

namespace Kollect.Tests.Integration.Kube;

public sealed class LeaderElectionTests(KubeApiServerFixture fixture) : IClassFixture<KubeApiServerFixture>
{
    private static LeaderElectionOptions Options(string ns, string identity) => new()
    {
        Namespace = ns,
        LeaseName = "kollect-operator",
        Identity = identity,
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    private sealed class Candidate : IDisposable
    {
        public Candidate(KubeClient client, LeaderElectionOptions options)
        {
            Elector = new LeaderElector(client, options, KubeTestSupport.QuietLog());
            Run = Elector.RunAsync(async token =>
            {
                Leading = true;
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                finally
                {
                    Leading = false;
                    WorkStopped = true;
                }
            }, Stop.Token);
        }

        public LeaderElector Elector { get; }
        public CancellationTokenSource Stop { get; } = new();
        public Task<bool> Run { get; }
        public volatile bool Leading;
        public volatile bool WorkStopped;

        public void Dispose() => Stop.Dispose();
    }

    private async Task<V1Lease> LeaseAsync(KubeClient client, string ns) =>
        await client.GetAsync(KubeResource.Leases, ns, "kollect-operator", KubeJsonContext.Default.V1Lease, default);

    [Fact]
    public async Task Only_one_of_two_candidates_leads_and_a_graceful_stop_releases_the_lease_to_the_other()
    {
        var ns = await fixture.CreateNamespaceAsync("election");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        using var a = new Candidate(client, Options(ns, "a"));
        using var b = new Candidate(client, Options(ns, "b"));
        await KubeTestSupport.WaitForAsync(() => a.Leading || b.Leading, "a leader");
        var (leader, standby) = a.Leading ? (a, b) : (b, a);
        // Several retry periods pass: the standby must not take over a renewed lease.
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(200);
            Assert.False(standby.Leading);
            Assert.True(leader.Leading);
        }
        Assert.Equal(leader.Elector.Options.Identity, (await LeaseAsync(client, ns)).Spec!.HolderIdentity);

        await leader.Stop.CancelAsync();
        Assert.False(await leader.Run);
        Assert.True(leader.WorkStopped);
        await KubeTestSupport.WaitForAsync(() => standby.Leading, "the standby to take over the released lease");
        var lease = await LeaseAsync(client, ns);
        Assert.Equal(standby.Elector.Options.Identity, lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec!.LeaseTransitions);
        await standby.Stop.CancelAsync();
        await standby.Run;
        var released = await LeaseAsync(client, ns);
        Assert.Equal("", released.Spec!.HolderIdentity ?? "");
        Assert.Equal(1, released.Spec!.LeaseDurationSeconds);
    }

    [Fact]
    public async Task A_leader_that_stops_renewing_is_replaced_after_the_lease_expires()
    {
        var ns = await fixture.CreateNamespaceAsync("expiry");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var dead = new LeaderElector(client, Options(ns, "dead"), KubeTestSupport.QuietLog());
        Assert.True(await dead.TryAcquireOrRenewAsync(default));
        using var next = new Candidate(client, Options(ns, "next"));
        await Task.Delay(500);
        Assert.False(next.Leading);
        await KubeTestSupport.WaitForAsync(() => next.Leading, "take-over after expiry");
        Assert.Equal("next", (await LeaseAsync(client, ns)).Spec!.HolderIdentity);
        await next.Stop.CancelAsync();
        await next.Run;
    }

    [Fact]
    public async Task Losing_the_lease_cancels_the_leaders_work()
    {
        var ns = await fixture.CreateNamespaceAsync("loss");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        using var leader = new Candidate(client, Options(ns, "leader"));
        await KubeTestSupport.WaitForAsync(() => leader.Leading, "leadership");
        var lease = await LeaseAsync(client, ns);
        lease.Spec!.HolderIdentity = "usurper";
        lease.Spec!.RenewTime = DateTime.UtcNow;
        lease.Spec!.LeaseDurationSeconds = 60;
        await client.UpdateAsync(KubeResource.Leases, ns, "kollect-operator", lease, KubeJsonContext.Default.V1Lease, default);
        Assert.True(await leader.Run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(leader.WorkStopped);
        Assert.False(leader.Elector.IsLeader);
        Assert.Equal("usurper", (await LeaseAsync(client, ns)).Spec!.HolderIdentity);
    }
}
