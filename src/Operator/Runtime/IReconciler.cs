namespace Kollect.Operator.Runtime;

/// <summary>
/// Level-based reconcile of one object by key (<c>namespace/name</c>): re-read the current state,
/// never trust the event that queued the key (CONVENTIONS §12). Throwing requeues with backoff.
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken);
}
