using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kollect.Tests.Unit.Runtime;

public sealed class ControllerTests
{
    private sealed class ScriptedReconciler(Queue<Func<ReconcileResult>> script) : IReconciler
    {
        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => Task.FromResult(script.Dequeue()());
    }

    [Fact]
    public async Task Errors_requeue_with_growing_backoff_and_success_forgets_it()
    {
        var script = new Queue<Func<ReconcileResult>>([
            () => throw new InvalidOperationException("boom"),
            () => throw new InvalidOperationException("boom again"),
            () => ReconcileResult.Done,
        ]);
        var metrics = new MetricsRegistry();
        var controller = new Controller("test", new ScriptedReconciler(script), 1, NullLoggerFactory.Instance, metrics,
            new ExponentialBackoff(TimeSpan.FromHours(1), TimeSpan.FromHours(2)));
        await controller.ProcessAsync(new ObjectKey("ns", "a"), default);
        Assert.Equal(1, controller.Queue.Failures(new ObjectKey("ns", "a")));
        await controller.ProcessAsync(new ObjectKey("ns", "a"), default);
        Assert.Equal(2, controller.Queue.Failures(new ObjectKey("ns", "a")));
        await controller.ProcessAsync(new ObjectKey("ns", "a"), default);
        Assert.Equal(0, controller.Queue.Failures(new ObjectKey("ns", "a")));
        var reconciles = metrics.Counter("kollect_reconcile_total", "", "controller", "result");
        Assert.Equal(2, reconciles.Value("test", "error"));
        Assert.Equal(1, reconciles.Value("test", "success"));
        // The backoff delays are an hour: nothing was handed back yet.
        Assert.Equal(0, controller.Queue.Depth);
    }

    [Fact]
    public async Task Requeue_after_adds_the_key_back_once_the_delay_passes()
    {
        var script = new Queue<Func<ReconcileResult>>([() => ReconcileResult.After(TimeSpan.FromMilliseconds(1))]);
        var controller = new Controller("test", new ScriptedReconciler(script), 1, NullLoggerFactory.Instance);
        await controller.ProcessAsync(ObjectKey.Cluster("a"), default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (ok, key) = await controller.Queue.TryGetAsync(timeout.Token);
        Assert.True(ok);
        Assert.Equal(ObjectKey.Cluster("a"), key);
    }

    [Fact]
    public async Task A_retry_backs_off_on_the_queues_one_count_with_the_retry_curve_and_a_due_time_can_be_sooner()
    {
        var key = new ObjectKey("ns", "inv");
        var script = new Queue<Func<ReconcileResult>>([
            () => ReconcileResult.Backoff(),
            () => throw new InvalidOperationException("boom"),
            () => ReconcileResult.Backoff(),
            () => ReconcileResult.Backoff(noLaterThan: TimeSpan.FromSeconds(1)),
            () => ReconcileResult.Done,
        ]);
        var time = new FakeTimeProvider();
        var metrics = new MetricsRegistry();
        var controller = new Controller("test", new ScriptedReconciler(script), 1, NullLoggerFactory.Instance, metrics,
            new ExponentialBackoff(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)), time,
            retryBackoff: new ExponentialBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5)));

        async Task<TimeSpan> ProcessThenTimeUntilHandedBack()
        {
            await controller.ProcessAsync(key, default);
            var waited = TimeSpan.Zero;
            while (controller.Queue.Depth == 0)
            {
                Assert.True(waited < TimeSpan.FromMinutes(10), "the key never came back");
                time.Advance(TimeSpan.FromMilliseconds(5));
                waited += TimeSpan.FromMilliseconds(5);
            }
            var (ok, handed) = await controller.Queue.TryGetAsync(default);
            Assert.True(ok);
            controller.Queue.Done(handed);
            return waited;
        }

        Assert.Equal(TimeSpan.FromSeconds(2), await ProcessThenTimeUntilHandedBack());        // retry curve, failure 1
        Assert.Equal(TimeSpan.FromMilliseconds(10), await ProcessThenTimeUntilHandedBack());  // an exception: the queue's curve, same count (failure 2)
        Assert.Equal(TimeSpan.FromSeconds(8), await ProcessThenTimeUntilHandedBack());        // retry curve, failure 3
        Assert.Equal(TimeSpan.FromSeconds(1), await ProcessThenTimeUntilHandedBack());        // 16 s backoff, but due in 1 s
        Assert.Equal(4, controller.Queue.Failures(key));
        await controller.ProcessAsync(key, default);
        Assert.Equal(0, controller.Queue.Failures(key));
        var reconciles = metrics.Counter("kollect_reconcile_total", "", "controller", "result");
        Assert.Equal((3L, 1L, 1L), (reconciles.Value("test", "retry"), reconciles.Value("test", "error"), reconciles.Value("test", "success")));
    }

    [Fact]
    public async Task A_terminal_failure_forgets_the_backoff_and_waits_for_a_change_unless_other_work_is_due()
    {
        var key = new ObjectKey("ns", "inv");
        var script = new Queue<Func<ReconcileResult>>([
            () => throw new InvalidOperationException("boom"),
            () => ReconcileResult.Terminal("event/ghost: SinkNotFound"),
            () => ReconcileResult.Terminal("event/ghost: SinkNotFound", requeueAfter: TimeSpan.FromSeconds(30)),
        ]);
        var time = new FakeTimeProvider();
        var metrics = new MetricsRegistry();
        var controller = new Controller("test", new ScriptedReconciler(script), 1, NullLoggerFactory.Instance, metrics, time: time);
        await controller.ProcessAsync(key, default);
        Assert.Equal(1, controller.Queue.Failures(key));
        time.Advance(TimeSpan.FromSeconds(1));
        var (_, handed) = await controller.Queue.TryGetAsync(default);
        controller.Queue.Done(handed);

        await controller.ProcessAsync(key, default);
        Assert.Equal(0, controller.Queue.Failures(key));
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal((0, 0), (controller.Queue.Depth, controller.Queue.Waiting));

        await controller.ProcessAsync(key, default);
        Assert.Equal(1, controller.Queue.Waiting);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, controller.Queue.Depth);
        Assert.Equal(2, metrics.Counter("kollect_reconcile_total", "", "controller", "result").Value("test", "terminal"));
    }
}
