using System.Diagnostics;
using System.Text.Json.Nodes;
using Kollect.Operator.Export;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// One ref's export, once resolved and admitted by <see cref="InventoryExporter.ExportAsync"/>: to
/// an event sink (debounce, plan, publish every part through the circuit and our timeout) or to a
/// database sink (one transaction). Kept apart from the orchestration of the refs.
/// </summary>
public sealed partial class InventoryExporter
{
    private async Task<SinkExportOutcome> ExportRefCoreAsync(
        InventorySpec spec,
        InventorySinkRef reference,
        IReadOnlyList<ItemRow> rows,
        string contentChecksum,
        InventoryStatusFields status,
        SinkStateLookup sinks,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        SinkExportOutcome Fail(string reason, string message) =>
            new(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Failed, reason, message, 0, 0, contentChecksum, null);

        SinkExportOutcome TimedOut(int part, int total)
        {
            _circuits.Record($"{EventSinkKind}/{reference.Sink}", delivered: false, transient: true, _time.GetUtcNow());
            var progress = total > 1 ? $" at part {part}/{total} (the export is retried whole)" : "";
            return Fail(PublishTimeoutReason, $"publishing {spec.Kind} {spec.Key} to KollectEventSink {reference.Sink} took longer than {_reliability.PublishTimeout.TotalSeconds:0.###}s{progress} (--sink-publish-timeout); retrying")
                with { Retry = true };
        }

        var sink = await sinks(reference.Namespace, reference.Name, cancellationToken).ConfigureAwait(false);
        if (sink is null)
        {
            return Fail(SinkNotFoundReason, $"KollectEventSink {reference.Sink} referenced by {spec.Kind} {spec.Key} does not exist; create it or fix the sink ref");
        }
        if (sink.Resolution.Failure is { } failure)
        {
            return Fail(failure.Reason, failure.Message);
        }
        if (sink.ConnectionVerified == false)
        {
            // The sink reconciler re-probes with backoff; look again in case no sink event reaches us.
            var detail = string.IsNullOrEmpty(sink.ConnectionMessage) ? "" : $": {sink.ConnectionMessage}";
            return Fail(SinkUnreachableReason, $"KollectEventSink {reference.Sink} failed its connection test (ConnectionVerified=False){detail}; exports to it resume when it passes")
                with { Retry = true };
        }

        var sinkSpec = sink.Sink.Spec;
        var interval = ExportLimits.ResolveInterval(reference.Interval, sinkSpec?.ExportMinInterval is { Nanoseconds: >= 0 } d ? d.ToTimeSpan() : null, spec.Interval);
        var decision = ExportDebouncer.Decide(InventoryStatusBuilder.LastExport(status, reference.StatusName), contentChecksum, spec.Generation, now, interval);
        if (!decision.Send)
        {
            _debounced?.Inc();
            var due = decision.RecheckAt;
            return new SinkExportOutcome(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Skipped, decision.Reason.ToString(),
                due is null ? "content unchanged since the last export; not re-sent (interval 0)" : $"content unchanged since the last export; re-sent after {interval}",
                0, 0, contentChecksum, due);
        }

        var circuit = $"{EventSinkKind}/{reference.Sink}";
        if (!_circuits.TryEnter(circuit, now, out var retryAt))
        {
            return Fail(CircuitOpenReason, $"KollectEventSink {reference.Sink} failed {_reliability.CircuitFailures} export(s) in a row; failing fast until {RfcTimestamp.Format(retryAt)}, then one export probes it")
                with { DueAt = retryAt };
        }
        // Our own bound on the whole export (limit lookup, every part up to its acknowledgement):
        // whatever the client library does, a stuck broker gives this ref's lane back in time.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_reliability.PublishTimeout);
        var cluster = sinkSpec?.Cluster is { Length: > 0 } c ? c : _options.ClusterName;
        long? messageLimit;
        try
        {
            messageLimit = await _gateway.MessageLimitAsync(sink.Resolution, timeout.Token).AsTask().WaitAsync(_reliability.PublishTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or TimeoutException)
        {
            return TimedOut(0, 1);
        }
        var maxExportBytes = ExportLimits.ResolveMaxExportBytes(reference.MaxExportBytes, spec.MaxExportBytes, _options.OperatorMaxExportBytes);
        var context = new EnvelopeContext(cluster, spec.EnvelopeNamespace, spec.Generation, now, now);
        var plan = ExportPartitioner.Plan(rows, context, maxExportBytes, messageLimit);
        if (plan.Failure is { } tooLarge)
        {
            _circuits.Record(circuit, delivered: false, transient: false, now);
            return Fail(ExportPlan.PayloadTooLargeReason, $"{spec.Kind} {spec.Key} to KollectEventSink {reference.Sink}: {tooLarge}");
        }

        var key = ExportMessageMetadata.KafkaKey(cluster, spec.EnvelopeNamespace);
        var headerNamespace = spec.Cluster ? "" : spec.Namespace;
        var started = Stopwatch.GetTimestamp();
        long bytes = 0;
        foreach (var part in plan.Parts)
        {
            ThrowUnlessMayPublish(spec, reference);
            var message = new SinkMessage(key, ExportMessageMetadata.Headers(headerNamespace, spec.Name, part), part.Message,
                ExportMessageMetadata.NatsMessageId(cluster, spec.EnvelopeNamespace, part.ExportEnvelope.Span));
            SinkPublishOutcome published;
            try
            {
                published = await _gateway.PublishAsync(sink.Resolution, message, timeout.Token).WaitAsync(_reliability.PublishTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or TimeoutException)
            {
                return TimedOut(part.Index, part.Total);
            }
            _circuits.Record(circuit, published.Delivered, published.Transient, _time.GetUtcNow());
            if (!published.Delivered)
            {
                var progress = plan.Parts.Count > 1 ? $" (part {part.Index}/{part.Total}; {part.Index - 1} earlier part(s) delivered, the export is retried whole)" : "";
                var failed = Fail(published.Reason, $"publishing {spec.Kind} {spec.Key} to KollectEventSink {reference.Sink} failed{progress}: {published.Message}");
                return published.Transient ? failed with { Retry = true } : failed;
            }
            bytes += part.Message.Length;
        }
        _duration?.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds, sink.Resolution.Type);
        _bytes?.Add(bytes, sink.Resolution.Type);
        var parts = plan.Parts.Count == 1 ? "1 part" : $"{plan.Parts.Count} parts";
        return new SinkExportOutcome(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Exported, InventoryStatusBuilder.ExportedReason,
            $"exported {rows.Count} item(s) of {spec.Kind} {spec.Key} to KollectEventSink {reference.Sink} in {parts}, {bytes} bytes, checksum {plan.ContentChecksum}",
            plan.Parts.Count, bytes, plan.ContentChecksum, interval > TimeSpan.Zero ? now + interval : null);
    }

    private async Task<SinkExportOutcome> WriteDatabaseRefAsync(
        InventorySpec spec,
        InventorySinkRef reference,
        IReadOnlyList<ItemRow> rows,
        string contentChecksum,
        InventoryStatusFields status,
        DatabaseSinkStateLookup databases,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        SinkExportOutcome Fail(string reason, string message) =>
            new(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Failed, reason, message, 0, 0, contentChecksum, null);

        var sink = await databases(reference.Namespace, reference.Name, cancellationToken).ConfigureAwait(false);
        if (sink is null)
        {
            return Fail(SinkNotFoundReason, $"{DatabaseSinkKind} {reference.Sink} referenced by {spec.Kind} {spec.Key} does not exist; create it or fix the sink ref");
        }
        if (sink.Resolution.Failure is { } failure)
        {
            return Fail(failure.Reason, failure.Message);
        }
        if (sink.ConnectionVerified == false)
        {
            var detail = string.IsNullOrEmpty(sink.ConnectionMessage) ? "" : $": {sink.ConnectionMessage}";
            return Fail(SinkUnreachableReason, $"{DatabaseSinkKind} {reference.Sink} failed its connection test (ConnectionVerified=False){detail}; exports to it resume when it passes")
                with { Retry = true };
        }

        var sinkSpec = sink.Sink.Spec;
        var interval = ExportLimits.ResolveInterval(reference.Interval, sinkSpec?.ExportMinInterval?.ToTimeSpan(), spec.Interval);
        var decision = ExportDebouncer.Decide(InventoryStatusBuilder.LastExport(status, reference.StatusName), contentChecksum, spec.Generation, now, interval);
        if (!decision.Send)
        {
            _debounced?.Inc();
            var due = decision.RecheckAt;
            return new SinkExportOutcome(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Skipped, decision.Reason.ToString(),
                due is null ? "content unchanged since the last export; not re-written (interval 0)" : $"content unchanged since the last export; re-written after {interval}",
                0, 0, contentChecksum, due);
        }

        var cluster = sinkSpec?.Cluster is { Length: > 0 } c ? c : _options.ClusterName;
        var started = Stopwatch.GetTimestamp();
        // A cluster inventory's rows are keyed with inventory_namespace "", which no namespace can be.
        ThrowUnlessMayPublish(spec, reference);
        var written = await _databases!.WriteAsync(sink.Resolution, new DatabaseExport(spec.Namespace, spec.Name, cluster, now, rows), cancellationToken).ConfigureAwait(false);
        if (!written.Written)
        {
            var failed = Fail(written.Reason, $"writing {spec.Kind} {spec.Key} to {DatabaseSinkKind} {reference.Sink} failed (nothing was changed): {written.Message}");
            return written.Transient ? failed with { Retry = true } : failed;
        }
        _duration?.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds, sink.Resolution.Type);
        _bytes?.Add(written.PayloadBytes, sink.Resolution.Type);
        return new SinkExportOutcome(reference.StatusName, reference.Namespace, reference.Name, SinkExportState.Exported, InventoryStatusBuilder.ExportedReason,
            $"exported {rows.Count} item(s) of {spec.Kind} {spec.Key} to {DatabaseSinkKind} {reference.Sink}: {written.Message}, checksum {contentChecksum}",
            1, written.PayloadBytes, contentChecksum, interval > TimeSpan.Zero ? now + interval : null);
    }
}
