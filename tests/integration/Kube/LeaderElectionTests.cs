using k8s.Models;
using Kollect.Operator.Kube;
using Kollect.Operator.Hosting;
using Kollect.Operator.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
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

    /// <summary>
    /// One replica's leader election as the host runs it: <see cref="LeaderElectionService"/> with
    /// its <see cref="Leadership"/>, and work that runs while leading, stopped before the service as
    /// the host stops <c>ControllerService</c> first.
    /// </summary>
    private sealed class Candidate : IDisposable
    {
        private readonly LeaderElectionService _service;
        private readonly CancellationTokenSource _stopping = new();

        public Candidate(KubeClient client, LeaderElectionOptions options)
        {
            Elector = new LeaderElector(client, options, NullLoggerFactory.Instance);
            _service = new LeaderElectionService(Elector, Leadership, NullLoggerFactory.Instance);
            _service.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            Work = WorkAsync();
        }

        public LeaderElector Elector { get; }
        public Leadership Leadership { get; } = new() { Elects = true };
        public Task Work { get; }
        public volatile int Terms;
        public volatile bool Leading;
        public volatile bool WorkStopped;

        /// <summary>Stops the work, then the election (which releases the lease).</summary>
        public async Task StopAsync()
        {
            await _stopping.CancelAsync();
            await Work;
            await _service.StopAsync(CancellationToken.None);
        }

        // As the controllers do: work during each term, wait for the next one when it ends.
        private async Task WorkAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                CancellationToken leading;
                try
                {
                    leading = await Leadership.WhenLeadingAsync(_stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                using var working = CancellationTokenSource.CreateLinkedTokenSource(leading, _stopping.Token);
                Leading = true;
                Terms++;
                try
                {
                    await Task.Delay(Timeout.Infinite, working.Token);
                }
                catch (OperationCanceledException)
                {
                    // Leadership ended or the replica stops: the work's way out.
                }
                finally
                {
                    Leading = false;
                    WorkStopped = true;
                }
            }
        }

        public void Dispose()
        {
            _stopping.Cancel();
            _service.Dispose();
            _stopping.Dispose();
        }
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
        await Eventually.UntilAsync(() => a.Leading || b.Leading, "a leader");
        var (leader, standby) = a.Leading ? (a, b) : (b, a);
        // Several retry periods pass: the standby must not take over a renewed lease.
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(200);
            Assert.False(standby.Leading);
            Assert.True(leader.Leading);
        }
        Assert.Equal(leader.Elector.Options.Identity, (await LeaseAsync(client, ns)).Spec!.HolderIdentity);

        await leader.StopAsync();
        Assert.False(leader.Leadership.Lost);
        Assert.True(leader.WorkStopped);
        await Eventually.UntilAsync(() => standby.Leading, "the standby to take over the released lease");
        var lease = await LeaseAsync(client, ns);
        Assert.Equal(standby.Elector.Options.Identity, lease.Spec!.HolderIdentity);
        Assert.Equal(1, lease.Spec!.LeaseTransitions);
        await standby.StopAsync();
        var released = await LeaseAsync(client, ns);
        Assert.Equal("", released.Spec!.HolderIdentity ?? "");
        Assert.Equal(1, released.Spec!.LeaseDurationSeconds);
    }

    [Fact]
    public async Task A_leader_that_stops_renewing_is_replaced_after_the_lease_expires()
    {
        var ns = await fixture.CreateNamespaceAsync("expiry");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var dead = new LeaderElector(client, Options(ns, "dead"), NullLoggerFactory.Instance);
        Assert.True(await dead.TryAcquireOrRenewAsync(default));
        using var next = new Candidate(client, Options(ns, "next"));
        await Task.Delay(500);
        Assert.False(next.Leading);
        await Eventually.UntilAsync(() => next.Leading, "take-over after expiry");
        Assert.Equal("next", (await LeaseAsync(client, ns)).Spec!.HolderIdentity);
        await next.StopAsync();
    }

    [Fact]
    public async Task Losing_the_lease_cancels_the_leaders_work_and_it_campaigns_again_without_exiting()
    {
        var ns = await fixture.CreateNamespaceAsync("loss");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        using var leader = new Candidate(client, Options(ns, "leader"));
        await Eventually.UntilAsync(() => leader.Leading, "leadership");
        var lease = await LeaseAsync(client, ns);
        lease.Spec!.HolderIdentity = "usurper";
        lease.Spec!.RenewTime = DateTime.UtcNow;
        lease.Spec!.LeaseDurationSeconds = 2;
        await client.UpdateAsync(KubeResource.Leases, ns, "kollect-operator", lease, KubeJsonContext.Default.V1Lease, default);
        await Eventually.UntilAsync(() => leader.Leadership.Lost, "the lost lease to end the term");
        await Eventually.UntilAsync(() => leader.WorkStopped, "the term's work to stop");
        Assert.False(leader.Leadership.MayAct);
        // The usurper never renews: after its 2 s the old leader wins a second term in the same process.
        await Eventually.UntilAsync(() => leader.Leading && leader.Terms == 2, "a second term");
        Assert.True(leader.Elector.IsLeader);
        Assert.True(leader.Leadership.MayAct);
        Assert.Equal(1, leader.Leadership.Losses);
        Assert.Equal("leader", (await LeaseAsync(client, ns)).Spec!.HolderIdentity);
        await leader.StopAsync();
    }

    [Fact]
    public async Task A_restarted_replica_with_the_same_identity_takes_its_own_lease_back_at_once()
    {
        var ns = await fixture.CreateNamespaceAsync("same-identity");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var killed = new LeaderElector(client, Options(ns, "pod-0") with { LeaseDuration = TimeSpan.FromSeconds(30), RenewDeadline = TimeSpan.FromSeconds(20) }, NullLoggerFactory.Instance);
        Assert.True(await killed.TryAcquireOrRenewAsync(default));
        // A stranger waits out the 30 s lease; the same pod name renews it on the first attempt.
        var stranger = new LeaderElector(client, Options(ns, "pod-1"), NullLoggerFactory.Instance);
        Assert.False(await stranger.TryAcquireOrRenewAsync(default));
        var restarted = new LeaderElector(client, Options(ns, "pod-0"), NullLoggerFactory.Instance);
        Assert.True(await restarted.TryAcquireOrRenewAsync(default));
        Assert.Equal("pod-0", (await LeaseAsync(client, ns)).Spec!.HolderIdentity);
    }
}
