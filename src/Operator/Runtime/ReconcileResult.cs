namespace Kollect.Operator.Runtime;

/// <summary>
/// What a reconcile asks of the queue (controller-runtime's <c>Result</c> and <c>TerminalError</c>):
/// nothing (<see cref="Done"/>), to come back after a delay (<see cref="After"/>), to retry after
/// the key's backoff because something failed that may recover (<see cref="Backoff"/>; the queue
/// keeps the one count of consecutive failures), or nothing because what failed will not recover
/// by retrying (<see cref="Terminal"/>: only a change of input, which queues the key, helps).
/// A thrown exception is a transient failure too.
/// </summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter, bool Retry = false, string? TerminalError = null)
{
    public static readonly ReconcileResult Done = new(null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);

    /// <summary>A transient failure: retried after the key's backoff, or at <paramref name="noLaterThan"/> when that is sooner.</summary>
    public static ReconcileResult Backoff(TimeSpan? noLaterThan = null) => new(noLaterThan, Retry: true);

    /// <summary>A failure retrying cannot mend; still comes back at <paramref name="requeueAfter"/> when given (other work is due).</summary>
    public static ReconcileResult Terminal(string error, TimeSpan? requeueAfter = null) => new(requeueAfter, TerminalError: error);
}
