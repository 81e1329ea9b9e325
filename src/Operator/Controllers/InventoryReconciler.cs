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
/// kind listed), so a starting operator never publishes a partial snapshot.
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
    ILoggerFactory loggers) : IReconciler
{
    /// <summary>How soon to look again while the collection is still listing.</summary>
    public static readonly TimeSpan NotCurrentRetry = TimeSpan.FromMilliseconds(100);

    private readonly ILogger _log = loggers.CreateLogger($"reconciler.{resource.Plural}");
    private readonly object _gate = new();

    // The status this reconciler wrote last, by key, with the resourceVersion it replaced: until the
    // watch brings the new version into the informer, the cache still shows the old sinkExports,
    // and exporting from them would re-send content the sink already has.
    private readonly Dictionary<string, (string? Replaced, JsonObject Written)> _written = new(StringComparer.Ordinal);

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (informer.Get(key) is not { } cached)
        {
            lock (_gate)
            {
                _written.Remove(key);
            }
            return ReconcileResult.Done;
        }
        if (!collectionCurrent())
        {
            return ReconcileResult.After(NotCurrentRetry);
        }
        var inventory = Current(key, cached);
        IReadOnlyList<Export.ItemRow> rows;
        if (resource.Kind == KollectClusterInventory.KindName)
        {
            var selection = engine.RowsForClusterInventory(inventory.Deserialize(KollectJsonContext.Default.KollectClusterInventory)!);
            foreach (var problem in selection.Problems)
            {
                SettingNotApplied(_log, key, problem);
            }
            rows = selection.Rows;
        }
        else
        {
            rows = engine.RowsForNamespace(KubeObjects.Namespace(inventory) ?? "");
        }

        var result = await exporter.ExportAsync(inventory, rows, sinks, databases, cancellationToken).ConfigureAwait(false);
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
        if (result.StatusPatch is { } patch)
        {
            var (ns, name) = KubeObjects.SplitKey(key);
            try
            {
                var written = await client.MergePatchStatusAsync(resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
                lock (_gate)
                {
                    _written[key] = (KubeObjects.ResourceVersion(inventory), written);
                }
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return ReconcileResult.Done;
            }
        }
        foreach (var e in result.Events)
        {
            await events.RecordAsync(inventory, e.Type, e.Reason, InventoryExportEvent.Action, e.Note, cancellationToken).ConfigureAwait(false);
        }
        return result.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    /// <summary>The cached inventory, or the one this reconciler last wrote when the cache has not caught up with it.</summary>
    private JsonObject Current(string key, JsonObject cached)
    {
        lock (_gate)
        {
            if (_written.TryGetValue(key, out var last))
            {
                if (last.Replaced == KubeObjects.ResourceVersion(cached))
                {
                    return last.Written;
                }
                _written.Remove(key);
            }
        }
        return cached;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cluster inventory setting not applied: {key}: {problem}")]
    private static partial void SettingNotApplied(ILogger logger, string key, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "exported {key} to {sink} ({reason}): {parts} parts, {bytes} bytes, {items} items, checksum {checksum}; {message}")]
    private static partial void Exported(ILogger logger, string key, string sink, string? reason, int parts, long bytes, int items, string? checksum, string? message);

    [LoggerMessage(Level = LogLevel.Information, Message = "export failed {key} to {sink} ({reason}): {parts} parts, {bytes} bytes, {items} items, checksum {checksum}; {message}")]
    private static partial void ExportFailed(ILogger logger, string key, string sink, string? reason, int parts, long bytes, int items, string? checksum, string? message);
}
