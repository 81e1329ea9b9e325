using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Writes the status of a <c>KollectTarget</c> or <c>KollectClusterTarget</c> (SPEC §2.4) from
/// the collection engine's report: counts, namespaces, extraction failures, conditions. The engine
/// itself learns of the target from the informer at once; this reconciler only reports, once the
/// collection is current (a count written mid-list would be wrong), and only when something changed.
/// </summary>
public sealed partial class TargetReconciler(
    KubeClient client,
    KubeResource resource,
    Informer informer,
    CollectionEngine engine,
    Func<bool> collectionCurrent,
    ILoggerFactory loggers,
    TimeProvider? time = null) : IReconciler
{
    private readonly ILogger _log = loggers.CreateLogger($"reconciler.{resource.Plural}");
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
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
            || Patch(target, report) is not { } patch)
        {
            return ReconcileResult.Done;
        }
        var (ns, name) = (key.ApiNamespace, key.Name);
        try
        {
            await client.MergePatchStatusAsync(resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
            StatusUpdated(_log, key, report.CollectedCount, report.State.ToString());
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted since the cache saw it.
        }
        return ReconcileResult.Done;
    }

    private JsonObject? Patch(JsonObject target, TargetReport report) =>
        resource.Kind == KollectClusterTarget.KindName
            ? TargetStatusBuilder.Build(target.Deserialize(KollectJsonContext.Default.KollectClusterTarget)!, report, _time.GetUtcNow())
            : TargetStatusBuilder.Build(target.Deserialize(KollectJsonContext.Default.KollectTarget)!, report, _time.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Information, Message = "target status updated: {key} collected {collected}, {state}")]
    private static partial void StatusUpdated(ILogger logger, ObjectKey key, long collected, string state);
}
