using System.Diagnostics;
using System.Text.Json.Nodes;
using Kollect.Operator.Export;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// Exports one inventory's rows to each of its event and database sink refs (SPEC §2.2–§2.5, §4–§6):
/// the one exporter the operator's inventory reconcilers and <c>kollect export</c> share. Each ref
/// is resolved, debounced against <c>status.sinkExports</c>, planned and published (or written, in
/// one transaction) on its own and concurrently, so one failing sink never blocks another. With
/// <see cref="SinkRefLanes"/> (the operator) a ref's export that outlasts the join window goes on
/// in the background while later reconciles export the other refs (issue #13); every publish is
/// bounded by our own timeout, passes the sink's <see cref="SinkCircuitBreaker"/> and, in the
/// operator, checks that this replica still holds the leader lease. The caller applies the result:
/// it writes the status patch, records the Events and requeues (backing off when a ref failed
/// transiently). The only state kept between calls is the circuits and the lanes; everything that
/// must survive a restart lives in the status.
/// </summary>
public sealed partial class InventoryExporter
{
    /// <summary>
    /// Retry delays after transient failures, for the work queue of the inventory controllers
    /// (the exporter keeps no count of its own: a result with <see cref="InventoryExportResult.Retry"/>
    /// backs off in the queue): 2 s doubling to 5 min.
    /// </summary>
    public static readonly ExponentialBackoff RetryBackoff = new(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));

    public const string SinkNotFoundReason = "SinkNotFound";
    public const string SinkUnreachableReason = "SinkUnreachable";
    public const string InvalidSinkRefReason = "InvalidSinkRef";
    public const string ExportFailedReason = "ExportFailed";
    public const string PublishTimeoutReason = "PublishTimeout";
    public const string CircuitOpenReason = "SinkCircuitOpen";
    public const string ExportInFlightReason = "ExportInFlight";

    private const string EventSinkKind = "KollectEventSink";
    private const string DatabaseSinkKind = "KollectDatabaseSink";

    private readonly IEventSinkGateway _gateway;
    private readonly IDatabaseSinkGateway? _databases;
    private readonly InventoryExportOptions _options;
    private readonly TimeProvider _time;
    private readonly Histogram? _duration;
    private readonly Counter? _bytes;
    private readonly Counter? _errors;
    private readonly Counter? _debounced;
    private readonly SinkReliabilityOptions _reliability;
    private readonly SinkCircuitBreaker _circuits;
    private readonly Func<bool> _mayPublish;

    /// <param name="databases">Writes database sink refs; null when they are not written (<c>kollect export --output</c>).</param>
    /// <param name="reliability">Publish timeout, circuit and join window; defaults when null.</param>
    /// <param name="mayPublish">
    /// Asked before every publish and database write: false once this replica may no longer hold
    /// the leader lease (its renew deadline passed), which abandons the export with an
    /// <see cref="OperationCanceledException"/> before anything reaches the sink.
    /// </param>
    public InventoryExporter(
        IEventSinkGateway gateway,
        InventoryExportOptions options,
        MetricsRegistry? metrics = null,
        TimeProvider? time = null,
        IDatabaseSinkGateway? databases = null,
        SinkReliabilityOptions? reliability = null,
        Func<bool>? mayPublish = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(options);
        _gateway = gateway;
        _databases = databases;
        _options = options;
        _time = time ?? TimeProvider.System;
        _reliability = reliability ?? new SinkReliabilityOptions();
        _circuits = new SinkCircuitBreaker(_reliability, metrics);
        _mayPublish = mayPublish ?? (() => true);
        if (metrics is not null)
        {
            _duration = metrics.Histogram("kollect_export_duration_seconds", "Time to publish one export to one sink, all parts.", null, "sink_type");
            _bytes = metrics.Counter("kollect_export_bytes_total", "Message bytes delivered to sinks.", "sink_type");
            _errors = metrics.Counter("kollect_sink_errors_total", "Sink ref exports that failed, by reason.", "reason");
            _debounced = metrics.Counter("kollect_export_debounced_total", "Sink ref exports skipped because the sink already has the content.");
        }
    }

    /// <summary>
    /// Exports <paramref name="rows"/> (canonical order, SPEC §4) of <paramref name="inventory"/> (a
    /// <c>KollectInventory</c> or <c>KollectClusterInventory</c> as read from the API, with its
    /// status) to every event sink ref, finding sinks through <paramref name="sinks"/>, and to every
    /// database sink ref, finding those through <paramref name="databases"/>. With
    /// <paramref name="lanes"/>, refs whose export outlasts the join window are reported as in flight
    /// and <paramref name="requeue"/> is called when one of them ends; without, every ref is awaited.
    /// </summary>
    public async Task<InventoryExportResult> ExportAsync(
        JsonObject inventory,
        IReadOnlyList<ItemRow> rows,
        SinkStateLookup sinks,
        DatabaseSinkStateLookup? databases,
        CancellationToken cancellationToken,
        SinkRefLanes? lanes = null,
        Action? requeue = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(sinks);
        var spec = InventorySpec.Read(inventory, _options);
        var now = _time.GetUtcNow();
        var status = spec.StoredStatus;

        var outcomes = new List<SinkExportOutcome>();
        if (spec.Suspend)
        {
            outcomes.AddRange(spec.EventRefs.Concat(spec.DatabaseRefs).Select(r => new SinkExportOutcome(r.StatusName, r.Namespace, r.Name, SinkExportState.Suspended,
                InventoryStatusBuilder.SuspendedReason, $"{spec.SuspendPath} is true: not exported", 0, 0, null, null)));
        }
        else
        {
            var contentChecksum = CanonicalRowArray.Checksum(rows);
            var refs = spec.EventRefs.Select(r => (Reference: r, Kind: EventSinkKind))
                .Concat(spec.DatabaseRefs.Select(r => (Reference: r, Kind: DatabaseSinkKind)))
                .ToList();
            var started = new List<(InventorySinkRef Reference, string Lane, Task<SinkExportOutcome> Export)>();
            var resolved = new Dictionary<string, SinkExportOutcome>(StringComparer.Ordinal);
            foreach (var (reference, kind) in refs)
            {
                Task<SinkExportOutcome> Run() => kind == EventSinkKind
                    ? Contained(spec, reference, kind, contentChecksum, now, ExportRefCoreAsync(spec, reference, rows, contentChecksum, status, sinks, now, cancellationToken))
                    : _databases is null || databases is null
                        ? Task.FromResult(new SinkExportOutcome(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Unsupported, InventoryStatusBuilder.UnsupportedReason,
                            $"{spec.DatabaseSinkRefsPath} ({reference.Name}): not written, since envelopes are only written to --output", 0, 0, null, null))
                        : Contained(spec, reference, kind, contentChecksum, now, WriteDatabaseRefAsync(spec, reference, rows, contentChecksum, status, databases, now, cancellationToken));

                var lane = LaneKey(spec, reference);
                if (lanes is null)
                {
                    started.Add((reference, lane, Run()));
                }
                else if (lanes.TryTakeFinished(lane, out var finished))
                {
                    // A background export ended: record it now; the requeue below decides on the current rows.
                    resolved[lane] = finished with { DueAt = now };
                }
                else if (lanes.IsBusy(lane))
                {
                    resolved[lane] = InFlight(spec, reference, kind, status);
                }
                else
                {
                    started.Add((reference, lane, lanes.Start(lane, Run)));
                }
            }
            if (lanes is null)
            {
                await Task.WhenAll(started.Select(s => s.Export)).ConfigureAwait(false);
            }
            else if (started.Count > 0)
            {
                try
                {
                    await Task.WhenAll(started.Select(s => s.Export)).WaitAsync(_reliability.JoinWindow, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // The slow refs go on in their lanes.
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // One ref's export was cancelled (leadership lost); TryComplete rethrows it below.
                }
            }
            foreach (var (reference, lane, export) in started)
            {
                if (lanes is null)
                {
                    resolved[lane] = await export.ConfigureAwait(false);
                }
                else if (lanes.TryComplete(lane, export, requeue ?? (() => { }), out var outcome))
                {
                    resolved[lane] = outcome;
                }
                else
                {
                    resolved[lane] = InFlight(spec, reference, refs.First(r => ReferenceEquals(r.Reference, reference)).Kind, status);
                }
            }
            outcomes.AddRange(refs.Select(r => resolved[LaneKey(spec, r.Reference)]));
        }
        outcomes.AddRange(spec.InvalidRefs.Select(r => new SinkExportOutcome(r.Path, "", "", SinkExportState.Failed, InvalidSinkRefReason,
            $"{spec.Kind} {spec.Key}: {r.Path}: {r.Problem}; write the sink's name or an object {{name, exportMinInterval, maxExportBytes}}", 0, 0, null, null)));
        foreach (var failed in outcomes.Where(o => o.State == SinkExportState.Failed && o.Reason != ExportInFlightReason))
        {
            _errors?.Inc(failed.Reason);
        }
        outcomes.AddRange(spec.UnsupportedRefs.Select(r => new SinkExportOutcome(r, "", "", SinkExportState.Unsupported, InventoryStatusBuilder.UnsupportedReason,
            $"{r}: snapshot sinks are not supported by this operator; only eventSinkRefs and databaseSinkRefs are exported", 0, 0, null, null)));

        var (patch, changedRefs) = InventoryStatusBuilder.Build(spec, rows.Count, outcomes, now);
        var events = new List<InventoryExportEvent>();
        foreach (var outcome in outcomes)
        {
            if (outcome.State == SinkExportState.Exported)
            {
                events.Add(new InventoryExportEvent(InventoryExportEvent.Normal, InventoryStatusBuilder.ExportedReason, outcome.Message));
            }
            else if (outcome.State == SinkExportState.Failed && changedRefs.Contains(outcome.Name))
            {
                // Only when the ref's state changed: a failure that persists across reconciles is one Event, not one per retry.
                events.Add(new InventoryExportEvent(InventoryExportEvent.Warning, outcome.Reason, outcome.Message));
            }
        }
        return new InventoryExportResult(outcomes, patch, events, RequeueAfter(spec, outcomes, now), !spec.Suspend && outcomes.Any(o => o.Retry));
    }

    // One ref's trouble stays with that ref: an unexpected exception (a lookup or gateway bug)
    // fails it as a transient error instead of losing the other refs' results. Argument errors
    // (rows out of canonical order) are the caller's bug and surface as such.
    private async Task<SinkExportOutcome> Contained(
        InventorySpec spec, InventorySinkRef reference, string sinkKind, string contentChecksum, DateTimeOffset now, Task<SinkExportOutcome> export)
    {
        try
        {
            return await export.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (OperationCanceledException or ArgumentException))
        {
            return new SinkExportOutcome(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Failed, ExportFailedReason,
                $"exporting {spec.Kind} {spec.Key} to {sinkKind} {reference.Sink} failed unexpectedly ({e.GetType().Name}); retrying",
                0, 0, contentChecksum, null) { Retry = true };
        }
    }

    // Due times (debounce intervals, an open circuit's probe) come back at that time; transient
    // failures ask for a retry (Retry), which the caller backs off; the rest wait for an input to
    // change (the sink, its Secret, the inventory), which the caller's watches turn into a reconcile.
    private static TimeSpan? RequeueAfter(InventorySpec spec, IReadOnlyList<SinkExportOutcome> outcomes, DateTimeOffset now)
    {
        TimeSpan? earliest = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.DueAt is not { } due || outcome.State is SinkExportState.Unsupported or SinkExportState.Suspended)
            {
                continue;
            }
            var delay = due > now ? due - now : TimeSpan.Zero;
            earliest = earliest is null || delay < earliest ? delay : earliest;
        }
        return spec.Suspend ? null : earliest;
    }

    private void ThrowUnlessMayPublish(InventorySpec spec, InventorySinkRef reference)
    {
        if (!_mayPublish())
        {
            throw new OperationCanceledException($"not exporting {spec.Kind} {spec.Key} to {reference.Sink}: this replica may no longer hold the leader lease");
        }
    }

    /// <summary>What a ref whose export still runs in its lane shows meanwhile: its status entry as it was.</summary>
    private static SinkExportOutcome InFlight(InventorySpec spec, InventorySinkRef reference, string kind, InventoryStatusFields status)
    {
        var (synced, reason, message) = InventoryStatusBuilder.RefSynced(status, reference.StatusName);
        return synced == "True"
            ? new SinkExportOutcome(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Skipped, ExportInFlightReason, message ?? "", 0, 0, null, null)
            : new SinkExportOutcome(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Failed, reason ?? ExportInFlightReason,
                message ?? $"the first export of {spec.Kind} {spec.Key} to {kind} {reference.Sink} is still in flight", 0, 0, null, null);
    }

    private static string LaneKey(InventorySpec spec, InventorySinkRef reference) => $"{spec.Kind}/{spec.Key}|{reference.StatusName}";
}
