using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Export;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// The inventory status of SPEC §2.2 from one export run: <c>observedGeneration</c>,
/// <c>itemCount</c>, <c>lastExportTime</c>, <c>sinkExports[]</c> (what each ref last exported —
/// read back by the debounce, so a restart does not re-publish) and the conditions <c>Synced</c>,
/// <c>SinkReachable</c>, <c>Degraded</c> and <c>Ready</c> (False whenever degraded). Messages
/// depend only on the inputs, never on the clock, so a run with unchanged inputs yields no patch.
/// </summary>
internal static class InventoryStatusBuilder
{
    public const string SyncedType = "Synced";
    public const string ReadyType = "Ready";
    public const string SinkReachableType = "SinkReachable";
    public const string DegradedType = "Degraded";

    public const string ExportedReason = "Exported";
    public const string UpToDateReason = "UpToDate";
    public const string SuspendedReason = "Suspended";
    public const string UnsupportedReason = "Unsupported";

    private const int MaxRefMessageLength = 1024;

    private static readonly HashSet<string> ReachabilityReasons = new(StringComparer.Ordinal)
    {
        InventoryExporter.SinkNotFoundReason,
        InventoryExporter.SinkUnreachableReason,
        EventSinkResolveFailure.SecretResolveFailed,
        DatabaseSinkResolution.UnsupportedSinkType,
        EventSinkResolveFailure.ConnectionTestFailed,
    };

    /// <summary>What <c>status.sinkExports[name]</c> says was last exported; null when it says nothing usable.</summary>
    public static LastExport? LastExport(InventoryStatusFields status, string name) =>
        FindEntry(status.SinkExports, name) is { LastChecksum: { Length: > 0 } checksum, LastGeneration: { } generation, LastExportTime: { } time }
            ? new LastExport(checksum, generation, time)
            : null;

    /// <summary>The <c>Synced</c> condition of <c>status.sinkExports[name]</c>: status, reason, message (nulls when absent).</summary>
    public static (string? Status, string? Reason, string? Message) RefSynced(InventoryStatusFields status, string name)
    {
        var condition = FindEntry(status.SinkExports, name)?.Conditions?.FirstOrDefault(c => c.Type == SyncedType);
        return (condition?.Status, condition?.Reason, condition?.Message);
    }

    /// <summary>
    /// The merge patch <c>{"status":{…}}</c> holding the changed top-level status fields (null when
    /// none changed), each written from the kind's generated status type, and the names of the
    /// sink refs whose <c>Synced</c> condition changed.
    /// </summary>
    public static (JsonObject? Patch, HashSet<string> ChangedRefs) Build(
        InventorySpec spec, int itemCount, IReadOnlyList<SinkExportOutcome> outcomes, DateTimeOffset now)
    {
        var old = spec.StoredStatus;
        var next = old.Clone();
        var generation = spec.Generation;
        next.ObservedGeneration = generation;
        next.ItemCount = itemCount;

        var changedRefs = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<SinkExportFields>();
        var refOutcomes = outcomes.Where(o => o.SinkName.Length > 0 && o.State != SinkExportState.Unsupported).ToList();
        foreach (var outcome in refOutcomes)
        {
            if (FindEntry(entries, outcome.Name) is not null)
            {
                continue;
            }
            var entry = FindEntry(next.SinkExports, outcome.Name) ?? new SinkExportFields(outcome.Name, null, null, null, null);
            if (UpdateEntry(entry, outcome, generation, now))
            {
                changedRefs.Add(outcome.Name);
            }
            entries.Add(entry);
        }
        if (entries.Count > 0 || old.SinkExports is not null)
        {
            next.SinkExports = entries;
        }
        if (refOutcomes.Any(o => o.State == SinkExportState.Exported))
        {
            next.LastExportTime = now;
        }

        next.Conditions ??= [];
        if (SetConditions(next.Conditions, spec, outcomes, generation, now))
        {
            // Unreadable refs have no entry of their own; they are news when the inventory's state changes.
            changedRefs.UnionWith(outcomes.Where(o => o.SinkName.Length == 0 && o.State == SinkExportState.Failed).Select(o => o.Name));
        }

        var before = old.ToJson(spec.Cluster);
        var patch = new JsonObject();
        foreach (var (key, value) in next.ToJson(spec.Cluster))
        {
            if (!JsonNode.DeepEquals(before[key], value))
            {
                patch[key] = value?.DeepClone();
            }
        }
        return (patch.Count == 0 ? null : new JsonObject { [KollectInventory.JsonNames.Status] = patch }, changedRefs);
    }

    private static bool UpdateEntry(SinkExportFields entry, SinkExportOutcome outcome, long generation, DateTimeOffset now)
    {
        var conditions = entry.Conditions ??= [];
        switch (outcome.State)
        {
            case SinkExportState.Exported:
                // The content checksum (all rows, whatever the split) is what the debounce compares (SPEC §4).
                entry.LastExportTime = now;
                entry.LastChecksum = outcome.Checksum;
                entry.LastGeneration = generation;
                return StatusConditions.Set(conditions, SyncedType, "True", ExportedReason, outcome.Message, generation, now);
            case SinkExportState.Skipped:
                // The sink has this content: keep the message of the export that put it there.
                return conditions.FirstOrDefault(c => c.Type == SyncedType)?.Status != "True"
                    && StatusConditions.Set(conditions, SyncedType, "True", UpToDateReason, outcome.Message, generation, now);
            case SinkExportState.Suspended:
                return StatusConditions.Set(conditions, SyncedType, "False", SuspendedReason, outcome.Message, generation, now);
            default:
                return StatusConditions.Set(conditions, SyncedType, "False", outcome.Reason, Shorten(outcome.Message), generation, now);
        }
    }

    /// <summary>Sets the four conditions; true when <c>Degraded</c> changed.</summary>
    private static bool SetConditions(List<Condition> conditions, InventorySpec spec, IReadOnlyList<SinkExportOutcome> outcomes, long generation, DateTimeOffset now)
    {
        var unsupported = outcomes.Where(o => o.State == SinkExportState.Unsupported).Select(o => o.Name).ToList();
        var note = unsupported.Count == 0
            ? ""
            : $" Not exported: {string.Join(", ", unsupported)} (only eventSinkRefs and databaseSinkRefs are exported, and databaseSinkRefs not to --output).";
        if (spec.Suspend)
        {
            var message = $"{spec.SuspendPath} is true: nothing is exported until it is set to false.{note}";
            StatusConditions.Set(conditions, SyncedType, "False", SuspendedReason, message, generation, now);
            StatusConditions.Set(conditions, ReadyType, "False", SuspendedReason, message, generation, now);
            return StatusConditions.Set(conditions, DegradedType, "False", SuspendedReason, message, generation, now);
        }

        var refs = outcomes.Where(o => o.State != SinkExportState.Unsupported).ToList();
        var failed = refs.Where(o => o.State == SinkExportState.Failed).ToList();
        var unreachable = failed.Where(o => ReachabilityReasons.Contains(o.Reason)).ToList();
        var synced = refs.Count == 0
            ? $"No eventSinkRefs or databaseSinkRefs: the inventory's rows are exported nowhere.{note}"
            : $"All {refs.Count} sink ref(s) are exported and up to date.{note}";

        bool degradedChanged;
        if (failed.Count == 0)
        {
            StatusConditions.Set(conditions, SyncedType, "True", "Synced", synced, generation, now);
            degradedChanged = StatusConditions.Set(conditions, DegradedType, "False", "AllSinksExported", synced, generation, now);
            StatusConditions.Set(conditions, ReadyType, "True", "Ready", synced, generation, now);
        }
        else
        {
            var message = $"{failed.Count} of {refs.Count} sink ref(s) not exported: {List(failed)}.{note}";
            var reason = SingleReason(failed) ?? InventoryExporter.ExportFailedReason;
            StatusConditions.Set(conditions, SyncedType, "False", InventoryExporter.ExportFailedReason, message, generation, now);
            degradedChanged = StatusConditions.Set(conditions, DegradedType, "True", reason, message, generation, now);
            StatusConditions.Set(conditions, ReadyType, "False", reason, message, generation, now);
        }

        if (unreachable.Count == 0)
        {
            StatusConditions.Set(conditions, SinkReachableType, "True", SinkReachableType,
                refs.Count == 0 ? "No sinks are referenced." : "Every referenced sink exists, resolves and passed its connection test (or is not tested).", generation, now);
        }
        else
        {
            StatusConditions.Set(conditions, SinkReachableType, "False", SingleReason(unreachable) ?? InventoryExporter.SinkUnreachableReason,
                $"{unreachable.Count} sink(s) cannot be used: {List(unreachable)}", generation, now);
        }
        return degradedChanged;
    }

    private static string? SingleReason(List<SinkExportOutcome> outcomes) =>
        outcomes.Select(o => o.Reason).Distinct(StringComparer.Ordinal).Count() == 1 ? outcomes[0].Reason : null;

    private static string List(IEnumerable<SinkExportOutcome> outcomes) =>
        string.Join("; ", outcomes.Select(o => $"{o.Name}: {o.Reason}: {Shorten(o.Message)}"));

    private static string Shorten(string message) => message.Length <= MaxRefMessageLength ? message : message[..(MaxRefMessageLength - 1)] + "…";

    private static SinkExportFields? FindEntry(List<SinkExportFields>? entries, string name) =>
        entries?.FirstOrDefault(e => e.Name == name);
}
