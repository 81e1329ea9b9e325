using Kollect.Operator.Kube;

namespace Kollect.Operator.Runtime;

/// <summary>
/// Level-based reconcile of one object by its <see cref="ObjectKey"/>: re-read the current state,
/// never trust the event that queued the key (CONVENTIONS §12). Throwing requeues with backoff.
/// </summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
