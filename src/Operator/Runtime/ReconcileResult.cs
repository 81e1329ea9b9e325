namespace Kollect.Operator.Runtime;

/// <summary>What a reconcile asks of the queue: nothing (done), or to come back after a delay.</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static readonly ReconcileResult Done = new(null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
