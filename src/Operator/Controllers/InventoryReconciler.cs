using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Reconciles a <c>KollectInventory</c> or <c>KollectClusterInventory</c> (SPEC §2.2, §2.3, §4):
/// takes the rows the collection engine holds for it, hands them to the
/// <see cref="InventoryExporter"/> shared with <c>kollect export</c>, writes the status it returns
/// and records its Events. Nothing is exported until the collection is current (every watched
/// kind listed), so a starting operator never publishes a partial snapshot. Each sink ref exports
/// in its own lane (<see cref="SinkRefLanes"/>): a ref still exporting after the join window ends
/// in the background and requeues the inventory. A status this reconciler wrote goes into the
/// informer's cache at once (<see cref="Informer.Wrote"/>), so the next reconcile debounces against
/// it even before the watch brings it. A ref that failed transiently makes the result a
/// <see cref="ReconcileResult.Backoff"/> (the queue counts the failures in a row); one that failed
/// for good, a <see cref="ReconcileResult.Terminal"/>. A status patch that fails (API server down) is
/// kept and sent with the next one, and the next reconcile debounces against it, so content a
/// sink already has is not sent again while the API server is away (issue #13).
/// </summary>
public sealed partial class InventoryReconciler(
    KubeClient client,
    KubeResource resource,
    Informer informer,
    CollectionEngine engine,
    Func<bool> collectionCurrent,
    InventoryExporter exporter,
    SinkStateLookup sinks,
    DatabaseSinkStateLookup databases,
    EventRecorder events,
    ILoggerFactory loggers,
    SinkRefLanes? lanes = null,
    Action<ObjectKey>? requeue = null) : IReconciler
{
    /// <summary>How soon to look again while the collection is still listing.</summary>
    public static readonly TimeSpan NotCurrentRetry = TimeSpan.FromMilliseconds(100);

    private readonly ILogger _log = loggers.CreateLogger($"reconciler.{resource.Plural}");
    private readonly object _gate = new();

    // The status a failed patch meant to write, by key: not a cache of the API's objects but the
    // write still owed to it. Until it goes through, reconciles read the cached spec with this
    // status and send the whole of it, so what the sinks already have is neither lost nor re-sent.
    private readonly Dictionary<ObjectKey, JsonNode?> _unsent = [];

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (informer.Get(key) is not { } cached)
        {
            lock (_gate)
            {
                _unsent.Remove(key);
            }
            lanes?.ForgetAll(LanePrefix(key));
            return ReconcileResult.Done;
        }
        if (!collectionCurrent())
        {
            return ReconcileResult.After(NotCurrentRetry);
        }
        var inventory = Current(key, cached);
        var selection = InventorySelection.Select(engine, resource.Kind, inventory);
        foreach (var problem in selection.Problems)
        {
            SettingNotApplied(_log, key, problem);
        }
        var rows = selection.Rows;

        var result = await exporter.ExportAsync(inventory, rows, sinks, databases, cancellationToken, lanes, requeue is null ? null : () => requeue(key)).ConfigureAwait(false);
        foreach (var outcome in result.Sinks.Where(s => s.State is SinkExportState.Exported or SinkExportState.Failed))
        {
            if (outcome.State == SinkExportState.Exported)
            {
                Exported(_log, key, outcome.Name, outcome.Reason, outcome.Parts, outcome.Bytes, rows.Count, outcome.Checksum, outcome.Message);
            }
            else
            {
                ExportFailed(_log, key, outcome.Name, outcome.Reason, outcome.Parts, outcome.Bytes, rows.Count, outcome.Checksum, outcome.Message);
            }
        }
        bool unwritten;
        lock (_gate)
        {
            unwritten = _unsent.ContainsKey(key);
        }
        // After a failed patch the API lacks what the last one said: send the whole status we hold.
        var patch = unwritten ? WholeStatus(inventory, result.StatusPatch) : result.StatusPatch;
        if (patch is not null)
        {
            var (ns, name) = (key.ApiNamespace, key.Name);
            lock (_gate)
            {
                _unsent[key] = Applied(inventory, patch)["status"]?.DeepClone();
            }
            try
            {
                var written = await client.MergePatchStatusAsync(resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    _unsent.Remove(key);
                }
                informer.Wrote(written, KubeObjects.ResourceVersion(cached));
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                lock (_gate)
                {
                    _unsent.Remove(key);
                }
                return ReconcileResult.Done;
            }
        }
        foreach (var e in result.Events)
        {
            await events.RecordAsync(inventory, e.Type, e.Reason, InventoryExportEvent.Action, e.Note, cancellationToken).ConfigureAwait(false);
        }
        if (result.Retry)
        {
            return ReconcileResult.Backoff(result.RequeueAfter);
        }
        // Failed refs with nothing scheduled wait for their input to change (the sink, its Secret, the inventory).
        var stuck = result.Sinks.Where(s => s.State == SinkExportState.Failed && s.DueAt is null && s.Reason != InventoryExporter.ExportInFlightReason).ToList();
        if (stuck.Count > 0)
        {
            return ReconcileResult.Terminal(string.Join("; ", stuck.Select(s => $"{s.Name}: {s.Reason}")), result.RequeueAfter);
        }
        return result.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    /// <summary>The cached inventory; after a failed write, the cached spec with the status this reconciler meant to write.</summary>
    private JsonObject Current(ObjectKey key, JsonObject cached)
    {
        lock (_gate)
        {
            if (!_unsent.TryGetValue(key, out var status))
            {
                return cached;
            }
            var overlay = (JsonObject)cached.DeepClone();
            overlay["status"] = status?.DeepClone();
            return overlay;
        }
    }

    private string LanePrefix(ObjectKey key) => $"{resource.Kind}/{key}|";

    private static JsonObject Applied(JsonObject inventory, JsonObject patch)
    {
        var applied = (JsonObject)inventory.DeepClone();
        var status = applied["status"] as JsonObject ?? [];
        foreach (var (field, value) in (JsonObject)patch["status"]!)
        {
            status[field] = value?.DeepClone();
        }
        applied["status"] = status;
        return applied;
    }

    private static JsonObject WholeStatus(JsonObject inventory, JsonObject? patch) =>
        new() { ["status"] = Applied(inventory, patch ?? new JsonObject { ["status"] = new JsonObject() })["status"]!.DeepClone() };

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster inventory setting not applied: {key}: {problem}")]
    private static partial void SettingNotApplied(ILogger logger, ObjectKey key, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "exported {key} to {sink} ({reason}): {parts} parts, {bytes} bytes, {items} items, checksum {checksum}; {message}")]
    private static partial void Exported(ILogger logger, ObjectKey key, string sink, string? reason, int parts, long bytes, int items, string? checksum, string? message);

    [LoggerMessage(Level = LogLevel.Information, Message = "export failed {key} to {sink} ({reason}): {parts} parts, {bytes} bytes, {items} items, checksum {checksum}; {message}")]
    private static partial void ExportFailed(ILogger logger, ObjectKey key, string sink, string? reason, int parts, long bytes, int items, string? checksum, string? message);
}
