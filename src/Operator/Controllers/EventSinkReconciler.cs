using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Reconciles a <c>KollectEventSink</c> (SPEC §2.1, §6.3, §6.4): resolves it with its Secrets, runs
/// the connection test when the spec (generation), a referenced Secret or the CA changed, when
/// <c>kollect.dev/test-connection: "true"</c> asks for it (the annotation is removed after a
/// successful forced test), and again after a failure with backoff 30 s → 5 min; writes the
/// conditions <c>ConnectionVerified</c>, <c>Ready</c>, <c>Degraded</c>, <c>TLSInsecure</c>,
/// <c>observedGeneration</c> and <c>status.preview</c>, patching only what changed.
/// </summary>
/// <remarks>
/// With <c>spec.connectionTest: false</c> nothing is probed unless forced: <c>ConnectionVerified</c>
/// is <c>Unknown</c>/<c>ConnectionTestDisabled</c> and <c>Ready</c> is <c>True</c> as soon as the sink
/// resolves (its Secrets exist and are usable), since the user chose not to gate on a test. Its own
/// status writes change neither generation nor Secrets, so they never trigger a probe.
/// </remarks>
public sealed partial class EventSinkReconciler : IReconciler
{
    public const string TestConnectionAnnotation = "kollect.dev/test-connection";
    public const string ConnectionVerified = OperatorSinkDirectory.ConnectionVerifiedCondition;
    public const string ConnectionTestDisabled = "ConnectionTestDisabled";

    /// <summary>Re-probe delays after failed tests: 30 s, doubling, at most 5 min (SPEC §6.3).</summary>
    public static readonly ExponentialBackoff DefaultRetryBackoff = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5));

    private readonly KubeClient _client;
    private readonly KubeResource _resource;
    private readonly Informer _informer;
    private readonly OperatorSinkDirectory _directory;
    private readonly IEventSinkGateway _gateway;
    private readonly EventRecorder _events;
    private readonly Counter _tests;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _retryBackoff;
    private readonly ConcurrentDictionary<ObjectKey, ProbeMemory> _memory = new();

    public EventSinkReconciler(
        KubeClient client, KubeResource resource, Informer informer, OperatorSinkDirectory directory, IEventSinkGateway gateway,
        EventRecorder events, MetricsRegistry metrics, ILoggerFactory loggers, TimeProvider? time = null, ExponentialBackoff? retryBackoff = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(loggers);
        _client = client;
        _resource = resource;
        _informer = informer;
        _directory = directory;
        _gateway = gateway;
        _events = events;
        _tests = ConnectionTestCounter(metrics);
        _log = loggers.CreateLogger("reconciler.kollecteventsinks");
        _time = time ?? TimeProvider.System;
        _retryBackoff = retryBackoff ?? DefaultRetryBackoff;
    }

    /// <summary><c>kollect_sink_connection_test_total{type,result}</c>, shared with the connection-test reconciler.</summary>
    public static Counter ConnectionTestCounter(MetricsRegistry metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.Counter("kollect_sink_connection_test_total", "Connection tests of event sinks by sink type and result (success, failure).", "type", "result"); // not a Kollect field: a metric label
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (_informer.Get(key) is not { } sink)
        {
            _memory.TryRemove(key, out _);
            _gateway.Forget(key.ToString());
            return ReconcileResult.Done;
        }

        var (ns, name) = (key.ApiNamespace, key.Name);
        var generation = KubeObjects.Generation(sink);
        var typed = KollectModels.EventSink(sink);
        var resolution = typed is not null
            ? await _directory.ResolveAsync(typed, cancellationToken).ConfigureAwait(false)
            : new EventSinkResolver((_, _) => null, _directory.Options).Resolve(sink);
        typed ??= new KollectEventSink { Metadata = new ObjectMeta { Namespace = ns, Name = name, Generation = generation } };
        var fingerprint = SinkSettingsFingerprint.Of(resolution);
        var now = _time.GetUtcNow();
        var testing = typed.Spec?.ConnectionTest != false;
        var forced = typed.Metadata.Annotations?.GetValueOrDefault(TestConnectionAnnotation)?.Trim() == "true";
        var memory = _memory.GetValueOrDefault(key);
        var current = memory is not null && memory.Generation == generation && memory.Fingerprint == fingerprint ? memory : null;
        var probe = (forced && memory?.ForcedHandled != true)
            || (testing && (current is null || (!current.Outcome.Verified && now >= current.NextProbeAt)));

        if (probe)
        {
            var outcome = await _gateway.ProbeAsync(resolution, cancellationToken).ConfigureAwait(false);
            _tests.Inc(resolution.Type, outcome.Verified ? "success" : "failure");
            var failures = outcome.Verified ? 0 : (current?.Failures ?? 0) + 1;
            var next = new ProbeMemory(generation, fingerprint, outcome, failures, now + _retryBackoff.Delay(failures - 1), forced);
            _memory[key] = next;
            await ReportTransitionAsync(sink, memory?.Outcome, outcome, cancellationToken).ConfigureAwait(false);
            current = next;
            if (forced && outcome.Verified)
            {
                await RemoveTestAnnotationAsync(ns, name, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (memory is not null && !forced && memory.ForcedHandled)
        {
            _memory[key] = memory with { ForcedHandled = false };
        }

        var patch = BuildStatusPatch(typed, resolution, current?.Outcome, testing, now);
        if (patch is not null)
        {
            try
            {
                await _client.MergePatchStatusAsync(_resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return ReconcileResult.Done;
            }
        }

        if (current is { Outcome.Verified: false } failed && testing)
        {
            var wait = failed.NextProbeAt - now;
            return ReconcileResult.After(wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
        }

        return ReconcileResult.Done;
    }

    /// <summary>
    /// The status merge patch for <paramref name="sink"/>, or null when its status already says all of it.
    /// <paramref name="outcome"/> is the last connection test of the current settings, if any.
    /// </summary>
    public static JsonObject? BuildStatusPatch(KollectEventSink sink, EventSinkResolution resolution, SinkProbeOutcome? outcome, bool testing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(resolution);
        const string Spec = KollectEventSink.JsonNames.Spec;
        var generation = sink.Metadata.Generation ?? 0;
        var status = sink.Status;
        var conditions = (status?.Conditions ?? []).Select(c => new Condition
        {
            Type = c.Type, Status = c.Status, ObservedGeneration = c.ObservedGeneration, LastTransitionTime = c.LastTransitionTime, Reason = c.Reason, Message = c.Message,
        }).ToList();
        var connectionTestPath = $"{Spec}.{KollectEventSinkSpec.JsonNames.ConnectionTest}";
        var changed = false;
        var sinkName = $"KollectEventSink {resolution.Sink}";

        string verified, verifiedReason, verifiedMessage;
        if (outcome is not null)
        {
            (verified, verifiedReason, verifiedMessage) = (outcome.Verified ? "True" : "False", outcome.Reason, outcome.Message);
        }
        else if (resolution.Failure is { } failure)
        {
            (verified, verifiedReason, verifiedMessage) = ("False", failure.Reason, failure.Message);
        }
        else if (!testing)
        {
            (verified, verifiedReason, verifiedMessage) = ("Unknown", ConnectionTestDisabled,
                $"{connectionTestPath} is false: the connection is not tested; annotate {TestConnectionAnnotation}: \"true\" to test it once");
        }
        else
        {
            (verified, verifiedReason, verifiedMessage) = ("Unknown", "ConnectionTestPending", "the connection test has not run yet");
        }

        changed |= StatusConditions.Set(conditions, ConnectionVerified, verified, verifiedReason, verifiedMessage, generation, now);

        var healthy = verified == "True" || (verified == "Unknown" && resolution.Succeeded && !testing);
        var (ready, readyReason, readyMessage) = healthy
            ? ("True", verified == "True" ? "SinkReady" : ConnectionTestDisabled, verified == "True"
                ? $"{sinkName} is resolved and its connection test passed"
                : $"{sinkName} is resolved; its connection is not tested ({connectionTestPath} is false)")
            : verified == "Unknown"
                ? ("Unknown", verifiedReason, verifiedMessage)
                : ("False", verifiedReason, verifiedMessage);
        changed |= StatusConditions.Set(conditions, "Ready", ready, readyReason, readyMessage, generation, now);
        changed |= verified == "False"
            ? StatusConditions.Set(conditions, "Degraded", "True", verifiedReason, verifiedMessage, generation, now)
            : StatusConditions.Set(conditions, "Degraded", "False", "AsExpected", $"{sinkName} has no known problem", generation, now);

        var tlsPath = $"{Spec}.{KollectEventSinkSpec.JsonNames.Tls}";
        changed |= sink.Spec?.Tls?.InsecureSkipVerify == true
            ? StatusConditions.Set(conditions, "TLSInsecure", "True", "InsecureSkipVerify",
                $"{tlsPath}.{KollectEventSinkSpecTls.JsonNames.InsecureSkipVerify} is true: broker certificates are not verified; set a CA ({tlsPath}.{KollectEventSinkSpecTls.JsonNames.CaBundle} or {KollectEventSinkSpecTls.JsonNames.CaSecretRef}) instead", generation, now)
            : StatusConditions.Set(conditions, "TLSInsecure", "False", "CertificatesVerified", "broker certificates are verified (or TLS is off)", generation, now);

        var observedChanged = status?.ObservedGeneration != generation;
        var patch = new KollectEventSinkStatus();
        var clearPreview = false;
        var existingPreview = status?.Preview;
        if (EventSinkPreview.IsRequested(sink))
        {
            var preview = EventSinkPreview.Render(sink, existingPreview, now);
            if (!EventSinkPreview.SameAs(preview, existingPreview))
            {
                patch.Preview = preview;
            }
        }
        else if (existingPreview is not null)
        {
            // SPEC §6.4: removing the annotation clears the preview (null deletes it in a merge patch).
            clearPreview = true;
        }

        if (changed || observedChanged)
        {
            patch.ObservedGeneration = generation;
            patch.Conditions = conditions;
        }

        if (patch.Preview is null && patch.Conditions is null && !clearPreview)
        {
            return null;
        }

        var patchStatus = JsonSerializer.SerializeToNode(patch, KollectJsonContext.Default.KollectEventSinkStatus)!.AsObject();
        if (clearPreview)
        {
            patchStatus[KollectEventSinkStatus.JsonNames.Preview] = null;
        }

        return new JsonObject { [KollectEventSink.JsonNames.Status] = patchStatus };
    }

    private async Task ReportTransitionAsync(JsonObject sink, SinkProbeOutcome? before, SinkProbeOutcome after, CancellationToken cancellationToken)
    {
        var key = ObjectKey.Of(sink);
        if (after.Verified)
        {
            LogConnectionVerified(_log, key, (long)after.Elapsed.TotalMilliseconds);
        }
        else
        {
            ConnectionTestFailed(_log, key, after.Reason, after.Classification, after.Message);
        }

        if (before is not null && before.Verified == after.Verified && before.Reason == after.Reason)
        {
            return;
        }

        await (after.Verified
            ? _events.RecordAsync(sink, "Normal", "ConnectionVerified", "ConnectionTest", after.Message, cancellationToken)
            : _events.RecordAsync(sink, "Warning", after.Reason, "ConnectionTest", after.Message, cancellationToken)).ConfigureAwait(false);
    }

    private async Task RemoveTestAnnotationAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [TestConnectionAnnotation] = null } } };
        try
        {
            await _client.MergePatchAsync(_resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted meanwhile; nothing to remove.
        }
    }

    /// <summary>The last connection test of one sink's settings; kept in memory only (no secret in it).</summary>
    private sealed record ProbeMemory(long Generation, string Fingerprint, SinkProbeOutcome Outcome, int Failures, DateTimeOffset NextProbeAt, bool ForcedHandled);

    [LoggerMessage(Level = LogLevel.Information, Message = "sink connection verified: {sink} in {elapsedMs} ms")]
    private static partial void LogConnectionVerified(ILogger logger, ObjectKey sink, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sink connection test failed: {sink} {reason} ({classification}): {error}")]
    private static partial void ConnectionTestFailed(ILogger logger, ObjectKey sink, string? reason, string? classification, string? error);
}
