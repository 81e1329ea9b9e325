using Kollect.Operator.Collect;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Writes the status of a <c>KollectTarget</c> or <c>KollectClusterTarget</c> (SPEC §2.4) from
/// the collection engine's report: counts, namespaces, extraction failures, conditions. The engine
/// itself learns of the target from the informer at once; this reconciler only reports, once the
/// collection is current (a count written mid-list would be wrong), and only when something changed.
/// </summary>
public sealed class TargetReconciler(
    KubeClient client,
    KubeResource resource,
    Informer informer,
    CollectionEngine engine,
    Func<bool> collectionCurrent,
    Logger log,
    TimeProvider? time = null) : IReconciler
{
    private readonly Logger _log = log.ForLogger($"reconciler.{resource.Plural}");
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (informer.Get(key) is not { } target)
        {
            return ReconcileResult.Done;
        }
        if (!collectionCurrent())
        {
            return ReconcileResult.After(InventoryReconciler.NotCurrentRetry);
        }
        if (engine.Report(CollectionEngine.KeyOf(target)) is not { } report
            || TargetStatusPatch.Build(target, report, _time.GetUtcNow()) is not { } patch)
        {
            return ReconcileResult.Done;
        }
        var (ns, name) = KubeObjects.SplitKey(key);
        try
        {
            await client.MergePatchStatusAsync(resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
            _log.Info("target status updated", ("key", key), ("collected", report.CollectedCount), ("state", report.State.ToString()));
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted since the cache saw it.
        }
        return ReconcileResult.Done;
    }
}
