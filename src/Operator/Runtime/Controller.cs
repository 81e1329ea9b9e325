using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Runtime;

/// <summary>
/// Runs <see cref="Concurrency"/> workers over a <see cref="WorkQueue{T}"/> of keys, calling the
/// reconciler: success forgets the key's backoff (or requeues after the asked delay); an error or a
/// <see cref="ReconcileResult.Backoff"/> requeues after the key's backoff (SPEC §7) — the queue's
/// count of consecutive failures is the only one; a <see cref="ReconcileResult.Terminal"/> failure
/// forgets it and waits for a change. Counts <c>kollect_reconcile_total{controller,result}</c>.
/// With a <see cref="Leadership"/>, workers take keys only during a term and a reconcile's token
/// is cancelled when the term ends; keys keep queueing meanwhile, and the next term resyncs them.
/// </summary>
public sealed partial class Controller
{
    private readonly IReconciler _reconciler;
    private readonly ILogger _log;
    private readonly Counter? _reconciles;
    private readonly Leadership _leadership;
    private readonly ExponentialBackoff? _retryBackoff;

    public Controller(
        string name,
        IReconciler reconciler,
        int concurrency,
        ILoggerFactory loggers,
        MetricsRegistry? metrics = null,
        ExponentialBackoff? backoff = null,
        TimeProvider? time = null,
        Leadership? leadership = null,
        ExponentialBackoff? retryBackoff = null)
    {
        _retryBackoff = retryBackoff;
        _leadership = leadership ?? Leadership.Always();
        Name = name;
        Concurrency = Math.Max(1, concurrency);
        _reconciler = reconciler;
        _log = loggers.CreateLogger($"controller.{name}");
        Queue = new WorkQueue<ObjectKey>(name, backoff, time);
        if (metrics is not null)
        {
            _reconciles = metrics.Counter("kollect_reconcile_total", "Reconciles by controller and result (success, requeue, retry, terminal, error).", "controller", "result"); // not a Kollect field: a metric label
            metrics.Gauge("kollect_workqueue_depth", "Keys waiting in each controller's work queue.", "name").Track([name], () => Queue.Depth);
        }
    }

    public string Name { get; }

    public int Concurrency { get; }

    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>
    /// Runs the workers until <paramref name="stopping"/> fires, then shuts the queue down and waits
    /// for the reconciles in flight; they run on <paramref name="abort"/>, which the caller cancels
    /// when its drain deadline (<c>--shutdown-timeout</c>) has passed.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(() => WorkAsync(stopping, abort), CancellationToken.None)).ToArray();
        try
        {
            await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: fall through to drain.
        }
        Queue.ShutDown();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkAsync(CancellationToken stopping, CancellationToken abort)
    {
        while (true)
        {
            CancellationToken term;
            try
            {
                term = await _leadership.WhenLeadingAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            using var working = CancellationTokenSource.CreateLinkedTokenSource(abort, term);
            while (!term.IsCancellationRequested)
            {
                (bool ok, ObjectKey key) next;
                try
                {
                    next = await Queue.TryGetAsync(working.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!abort.IsCancellationRequested)
                {
                    break;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (!next.ok)
                {
                    return;
                }
                await ProcessAsync(next.key, working.Token).ConfigureAwait(false);
            }
        }
    }

    internal async Task ProcessAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            if (result.Retry)
            {
                var delay = Queue.AddRateLimited(key, _retryBackoff);
                ReconcileRetrying(_log, key, (long)delay.TotalMilliseconds, Queue.Failures(key));
            }
            else
            {
                Queue.Forget(key);
            }
            if (result.RequeueAfter is { } after)
            {
                // Of a backoff and a due time, the sooner wins (the queue keeps the earliest).
                Queue.AddAfter(key, after);
            }
            _reconciles?.Inc(Name, result switch
            {
                { Retry: true } => "retry",
                { TerminalError: not null } => "terminal",
                { RequeueAfter: not null } => "requeue",
                _ => "success",
            });
            if (result.TerminalError is { } error)
            {
                ReconcileTerminal(_log, key, error);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || !_leadership.MayAct)
        {
            // Shutdown, or the lease is gone (or may be): the next term's resync brings the key back.
            ReconcileCancelled(_log, key);
        }
        catch (Exception e)
        {
            var delay = Queue.AddRateLimited(key);
            _reconciles?.Inc(Name, "error");
            ReconcileFailed(_log, key, (long)delay.TotalMilliseconds, e.Message);
        }
        finally
        {
            Queue.Done(key);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "reconcile asked for a retry; backing off: {key} in {retryInMs} ms after {failures} failure(s) in a row")]
    private static partial void ReconcileRetrying(ILogger logger, ObjectKey key, long retryInMs, int failures);

    [LoggerMessage(Level = LogLevel.Debug, Message = "reconcile failed in a way retrying cannot mend; waiting for a change: {key}: {error}")]
    private static partial void ReconcileTerminal(ILogger logger, ObjectKey key, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "reconcile cancelled by shutdown or a lost lease: {key}")]
    private static partial void ReconcileCancelled(ILogger logger, ObjectKey key);

    [LoggerMessage(Level = LogLevel.Error, Message = "reconcile failed; retrying with backoff: {key} in {retryInMs} ms: {error}")]
    private static partial void ReconcileFailed(ILogger logger, ObjectKey key, long retryInMs, string error);
}
