using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Manifests;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Reconciles a <c>KollectDatabaseSink</c> (SPEC §2.5, §6.3, §6.4) as <see cref="EventSinkReconciler"/>
/// does an event sink: validates it with the rules <c>kollect validate</c> uses, resolves it with its
/// Secrets, runs the connection test (connect, the table exists or may be created, the role may write)
/// when the spec, a referenced Secret or the CA changed, when <c>kollect.dev/test-connection: "true"</c>
/// asks (removed after a successful forced test), and again after a failure with backoff 30 s → 5 min;
/// writes <c>ConnectionVerified</c>, <c>Ready</c>, <c>Degraded</c>, <c>TLSInsecure</c>,
/// <c>observedGeneration</c> and <c>status.preview</c>, patching only what changed. A sink of another
/// type than postgres is <c>Ready=False</c>, <c>UnsupportedSinkType</c>.
/// </summary>
public sealed partial class DatabaseSinkReconciler : IReconciler
{
    private readonly KubeClient _client;
    private readonly KubeResource _resource;
    private readonly Informer _informer;
    private readonly OperatorDatabaseSinkDirectory _directory;
    private readonly IDatabaseSinkGateway _gateway;
    private readonly SemanticValidator _validator;
    private readonly EventRecorder _events;
    private readonly Counter _tests;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _retryBackoff;
    private readonly ConcurrentDictionary<ObjectKey, ProbeMemory> _memory = new();

    public DatabaseSinkReconciler(
        KubeClient client, KubeResource resource, Informer informer, OperatorDatabaseSinkDirectory directory, IDatabaseSinkGateway gateway,
        SemanticValidator validator, EventRecorder events, MetricsRegistry metrics, ILoggerFactory loggers, TimeProvider? time = null, ExponentialBackoff? retryBackoff = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _client = client;
        _resource = resource;
        _informer = informer;
        _directory = directory;
        _gateway = gateway;
        _validator = validator;
        _events = events;
        _tests = EventSinkReconciler.ConnectionTestCounter(metrics);
        _log = loggers.CreateLogger("reconciler.kollectdatabasesinks");
        _time = time ?? TimeProvider.System;
        _retryBackoff = retryBackoff ?? EventSinkReconciler.DefaultRetryBackoff;
    }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (_informer.Get(key) is not { } cached || KollectModels.DatabaseSink(cached) is not { } sink)
        {
            _memory.TryRemove(key, out _);
            _gateway.Forget(key.ToString());
            return ReconcileResult.Done;
        }

        var (ns, name) = (key.ApiNamespace, key.Name);
        var generation = sink.Metadata.Generation ?? 0;
        var invalid = Invalid(cached);
        var resolution = invalid is null
            ? await _directory.ResolveAsync(sink, cancellationToken).ConfigureAwait(false)
            : new DatabaseSinkResolution { Sink = key.ToString(), Type = "", Failure = invalid };
        var fingerprint = SinkSettingsFingerprint.Of(resolution);
        var now = _time.GetUtcNow();
        var testing = sink.Spec?.ConnectionTest != false;
        var forced = sink.Metadata.Annotations?.GetValueOrDefault(EventSinkReconciler.TestConnectionAnnotation)?.Trim() == "true";
        var memory = _memory.GetValueOrDefault(key);
        var current = memory is not null && memory.Generation == generation && memory.Fingerprint == fingerprint ? memory : null;
        var probe = resolution.Succeeded
            && ((forced && memory?.ForcedHandled != true) || (testing && (current is null || (!current.Outcome.Verified && now >= current.NextProbeAt))));

        if (probe)
        {
            var outcome = await _gateway.ProbeAsync(resolution, cancellationToken).ConfigureAwait(false);
            _tests.Inc(resolution.Type, outcome.Verified ? "success" : "failure");
            var failures = outcome.Verified ? 0 : (current?.Failures ?? 0) + 1;
            var next = new ProbeMemory(generation, fingerprint, outcome, failures, now + _retryBackoff.Delay(failures - 1), forced);
            _memory[key] = next;
            await ReportTransitionAsync(cached, key, memory?.Outcome, outcome, cancellationToken).ConfigureAwait(false);
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
        else if (!resolution.Succeeded)
        {
            _memory.TryRemove(key, out _);
            current = null;
        }

        var patch = BuildStatusPatch(sink, resolution, current?.Outcome, testing, now);
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
    /// The status merge patch for <paramref name="sink"/>, or null when its status already says all of
    /// it; <paramref name="outcome"/> is the last connection test of the current settings, if any.
    /// </summary>
    public static JsonObject? BuildStatusPatch(KollectDatabaseSink sink, DatabaseSinkResolution resolution, SinkProbeOutcome? outcome, bool testing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(resolution);
        var generation = sink.Metadata.Generation ?? 0;
        var before = sink.Status ?? new KollectDatabaseSinkStatus();
        var conditions = (before.Conditions ?? []).Select(Copy).ToList();
        var label = $"{KollectDatabaseSink.KindName} {resolution.Sink}";

        var (verified, verifiedReason, verifiedMessage) = outcome is not null
            ? (outcome.Verified ? "True" : "False", outcome.Reason, outcome.Message)
            : resolution.Failure is { } failure
                ? ("False", failure.Reason, failure.Message)
                : !testing
                    ? ("Unknown", EventSinkReconciler.ConnectionTestDisabled,
                        $"{ConnectionTestPath} is false: the connection is not tested; annotate {EventSinkReconciler.TestConnectionAnnotation}: \"true\" to test it once")
                    : ("Unknown", "ConnectionTestPending", "the connection test has not run yet");
        var changed = StatusConditions.Set(conditions, EventSinkReconciler.ConnectionVerified, verified, verifiedReason, verifiedMessage, generation, now);

        var healthy = verified == "True" || (verified == "Unknown" && resolution.Succeeded && !testing);
        var (ready, readyReason, readyMessage) = healthy
            ? ("True", verified == "True" ? "SinkReady" : EventSinkReconciler.ConnectionTestDisabled, verified == "True"
                ? $"{label} is resolved and its connection test passed"
                : $"{label} is resolved; its connection is not tested ({ConnectionTestPath} is false)")
            : verified == "Unknown" ? ("Unknown", verifiedReason, verifiedMessage) : ("False", verifiedReason, verifiedMessage);
        changed |= StatusConditions.Set(conditions, "Ready", ready, readyReason, readyMessage, generation, now);
        changed |= verified == "False"
            ? StatusConditions.Set(conditions, "Degraded", "True", verifiedReason, verifiedMessage, generation, now)
            : StatusConditions.Set(conditions, "Degraded", "False", "AsExpected", $"{label} has no known problem", generation, now);

        var insecure = resolution.Postgres?.TlsInsecure == true;
        changed |= insecure
            ? StatusConditions.Set(conditions, "TLSInsecure", "True", "CertificateNotVerified",
                $"the connection string's sslmode is {resolution.Postgres!.EffectiveSslMode.ToString().ToLowerInvariant()}: TLS may be used without verifying the server; use sslmode=verify-full with a CA ({KollectDatabaseSink.JsonNames.Spec}.{KollectDatabaseSinkSpec.JsonNames.Tls})",
                generation, now)
            : StatusConditions.Set(conditions, "TLSInsecure", "False", "CertificatesVerified", "the server certificate is verified (sslmode verify-ca or verify-full), or TLS is off", generation, now);

        var preview = DatabaseSinkPreview.IsRequested(sink) ? DatabaseSinkPreview.Render(sink, before.Preview, now) : null;
        var previewChanged = !JsonNode.DeepEquals(
            preview is null ? null : JsonSerializer.SerializeToNode(preview, KollectJsonContext.Default.KollectDatabaseSinkStatusPreview),
            before.Preview is null ? null : JsonSerializer.SerializeToNode(before.Preview, KollectJsonContext.Default.KollectDatabaseSinkStatusPreview));
        if (!changed && !previewChanged && before.ObservedGeneration == generation)
        {
            return null;
        }

        var status = JsonSerializer.SerializeToNode(new KollectDatabaseSinkStatus { Conditions = conditions, ObservedGeneration = generation, Preview = preview }, KollectJsonContext.Default.KollectDatabaseSinkStatus)!.AsObject();
        if (preview is null && before.Preview is not null)
        {
            // SPEC §6.4: removing the annotation clears the preview (null deletes it in a merge patch).
            status[KollectDatabaseSinkStatus.JsonNames.Preview] = null;
        }

        return new JsonObject { [KollectDatabaseSink.JsonNames.Status] = status };
    }

    private const string ConnectionTestPath = $"{KollectDatabaseSink.JsonNames.Spec}.{KollectDatabaseSinkSpec.JsonNames.ConnectionTest}";

    // The rules kollect validate applies; a sink they reject is not dialled.
    private EventSinkResolveFailure? Invalid(JsonObject cached)
    {
        var report = _validator.Validate(KollectDatabaseSink.KindName, KollectDatabaseSink.Namespaced, ManifestJson.ToElement(cached));
        if (!report.HasErrors)
        {
            return null;
        }

        var unsupported = report.Errors.Any(e => e.Path == "spec.type");
        return new EventSinkResolveFailure(
            unsupported ? DatabaseSinkResolution.UnsupportedSinkType : "InvalidSpec",
            $"{KollectDatabaseSink.KindName} {ObjectKey.Of(cached)}: " + string.Join("; ", report.Errors.Select(e => $"{e.Path}: {e.Message}")));
    }

    private async Task ReportTransitionAsync(JsonObject cached, ObjectKey key, SinkProbeOutcome? before, SinkProbeOutcome after, CancellationToken cancellationToken)
    {
        if (after.Verified)
        {
            LogConnectionVerified(_log, key, (long)after.Elapsed.TotalMilliseconds);
        }
        else
        {
            ConnectionTestFailed(_log, key, after.Reason, after.Classification, after.Message);
        }

        if (before is not null && before.Verified == after.Verified && before.Reason == after.Reason && before.Classification == after.Classification)
        {
            return;
        }

        await (after.Verified
            ? _events.RecordAsync(cached, "Normal", "ConnectionVerified", "ConnectionTest", after.Message, cancellationToken)
            : _events.RecordAsync(cached, "Warning", after.Reason, "ConnectionTest", after.Message, cancellationToken)).ConfigureAwait(false);
    }

    private async Task RemoveTestAnnotationAsync(string? ns, string name, CancellationToken cancellationToken)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [EventSinkReconciler.TestConnectionAnnotation] = null } } };
        try
        {
            await _client.MergePatchAsync(_resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted meanwhile; nothing to remove.
        }
    }

    private static Condition Copy(Condition c) => new()
    {
        Type = c.Type,
        Status = c.Status,
        ObservedGeneration = c.ObservedGeneration,
        LastTransitionTime = c.LastTransitionTime,
        Reason = c.Reason,
        Message = c.Message,
    };

    /// <summary>The last connection test of one sink's settings; kept in memory only (no secret in it).</summary>
    private sealed record ProbeMemory(long Generation, string Fingerprint, SinkProbeOutcome Outcome, int Failures, DateTimeOffset NextProbeAt, bool ForcedHandled);

    [LoggerMessage(Level = LogLevel.Information, Message = "database sink connection verified: {sink} in {elapsedMs} ms")]
    private static partial void LogConnectionVerified(ILogger logger, ObjectKey sink, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "database sink connection test failed: {sink} {reason} ({classification}): {error}")]
    private static partial void ConnectionTestFailed(ILogger logger, ObjectKey sink, string? reason, string? classification, string? error);
}
