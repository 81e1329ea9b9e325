using System.Text.Json.Nodes;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// The result of <see cref="InventoryExporter.ExportAsync"/>: one outcome per sink ref (event refs
/// in spec order, then unsupported refs), the status merge patch <c>{"status":{…}}</c> (null when
/// the status already says all of it, so a reconcile without new input writes nothing), the Events
/// to record, when to look again (the next due time; null when nothing is pending), and whether a
/// ref failed transiently (<see cref="Retry"/>: look again after the caller's backoff).
/// </summary>
public sealed record InventoryExportResult(
    IReadOnlyList<SinkExportOutcome> Sinks,
    JsonObject? StatusPatch,
    IReadOnlyList<InventoryExportEvent> Events,
    TimeSpan? RequeueAfter,
    bool Retry = false);
