using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

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
}
