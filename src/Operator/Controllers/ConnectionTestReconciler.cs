using System.Globalization;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Reconciles a <c>KollectConnectionTest</c> (SPEC §2): probes the referenced
/// <c>KollectEventSink</c> or <c>KollectDatabaseSink</c> once (SPEC §2.5, §6.3), records <c>latencyMs</c>, <c>completed</c>,
/// <c>completedAt</c>, <c>result</c>, <c>reason</c>, <c>message</c> and a <c>Succeeded</c>
/// condition, makes the sink its owner unless <c>spec.ownerSink</c> is false (so deleting the sink
/// deletes its tests), and deletes the test <c>ttlSecondsAfterFinished</c> (default 300) after it
/// completed. Snapshot sinks do not exist in this operator: such a test completes as failed,
/// saying so.
/// </summary>
public sealed partial class ConnectionTestReconciler(
    KubeClient client, KubeResource resource, Informer informer, OperatorSinkDirectory directory, IEventSinkGateway gateway,
    MetricsRegistry metrics, ILoggerFactory loggers, TimeProvider? time = null,
    OperatorDatabaseSinkDirectory? databaseDirectory = null, IDatabaseSinkGateway? databaseGateway = null) : IReconciler
{
    public const int DefaultTtlSeconds = 300;
    private readonly Counter _tests = EventSinkReconciler.ConnectionTestCounter(metrics);
    private readonly ILogger _log = loggers.CreateLogger("reconciler.kollectconnectiontests");
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    // Tests completed by this process, by key (with uid): the cache may not show the status write yet
    // when a later event (the owner-reference patch) queues the test again, and a test probes only once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string? Uid, DateTimeOffset At)> _completed = new(StringComparer.Ordinal);
    private KubeResource? _sinks;
    private KubeResource? _databaseSinks;

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (informer.Get(key) is not { } test)
        {
            _completed.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        var (ns, name) = KubeObjects.SplitKey(key);
        var ttl = TimeSpan.FromSeconds(test["spec"]?["ttlSecondsAfterFinished"] is JsonValue t && t.TryGetValue<int>(out var seconds) ? seconds : DefaultTtlSeconds);
        if (test["status"]?["completed"] is JsonValue c && c.TryGetValue<bool>(out var completed) && completed)
        {
            return await ExpireAsync(ns, name, test, ttl, cancellationToken).ConfigureAwait(false);
        }

        if (_completed.TryGetValue(key, out var finished) && finished.Uid == KubeObjects.Uid(test))
        {
            var wait = finished.At + ttl - _time.GetUtcNow();
            return ReconcileResult.After(wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
        }

        var sinkRef = test["spec"]?["sinkRef"] as JsonObject;
        var eventSink = (string?)sinkRef?["eventSinkRef"];
        var databaseSink = (string?)sinkRef?["databaseSinkRef"];
        var database = string.IsNullOrEmpty(eventSink) && !string.IsNullOrEmpty(databaseSink) && databaseDirectory is not null && databaseGateway is not null;
        var sinkName = database ? databaseSink : eventSink;
        var (sinkKind, field) = database ? (KollectDatabaseSink.KindName, "spec.sinkRef.databaseSinkRef") : (KollectEventSink.KindName, "spec.sinkRef.eventSinkRef");
        SinkProbeOutcome outcome;
        string type;
        if (string.IsNullOrEmpty(sinkName))
        {
            var message = sinkRef?["snapshotSinkRef"] is not null
                ? $"KollectConnectionTest {key}: spec.sinkRef.snapshotSinkRef is not supported: this operator has event and database sinks only; set spec.sinkRef.eventSinkRef or databaseSinkRef"
                : !string.IsNullOrEmpty(databaseSink)
                    ? $"KollectConnectionTest {key}: spec.sinkRef.databaseSinkRef is not supported by this controller, which has no database sinks"
                    : $"KollectConnectionTest {key}: spec.sinkRef names no sink; set spec.sinkRef.eventSinkRef to a KollectEventSink or databaseSinkRef to a KollectDatabaseSink";
            outcome = new SinkProbeOutcome(false, "UnsupportedSinkRef", message, false, TimeSpan.Zero);
            type = "unknown";
        }
        else
        {
            var sinks = database
                ? _databaseSinks ??= await client.Discovery.ResolveAsync(new GroupVersionKind(KollectDatabaseSink.Group, KollectDatabaseSink.Version, KollectDatabaseSink.KindName), cancellationToken).ConfigureAwait(false)
                : _sinks ??= await client.Discovery.ResolveAsync(new GroupVersionKind(KollectEventSink.Group, KollectEventSink.Version, KollectEventSink.KindName), cancellationToken).ConfigureAwait(false);
            JsonObject? sink;
            try
            {
                sink = await client.GetAsync(sinks, ns, sinkName, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                sink = null;
            }

            if (sink is null)
            {
                outcome = new SinkProbeOutcome(false, "SinkNotFound", $"KollectConnectionTest {key}: {sinkKind} {ns}/{sinkName} ({field}) not found; create it or correct the name", false, TimeSpan.Zero);
                type = "unknown";
            }
            else
            {
                var owned = test["spec"]?["ownerSink"] is not JsonValue o || !o.TryGetValue<bool>(out var own) || own;
                if (owned)
                {
                    await SetOwnerAsync(ns, name, test, sink, sinkKind, cancellationToken).ConfigureAwait(false);
                }

                if (database && KollectModels.DatabaseSink(sink) is { } typed)
                {
                    var resolution = await databaseDirectory!.ResolveAsync(typed, cancellationToken).ConfigureAwait(false);
                    outcome = await databaseGateway!.ProbeAsync(resolution, cancellationToken).ConfigureAwait(false);
                    type = resolution.Type;
                }
                else
                {
                    var resolution = KollectModels.EventSink(sink) is { } typedSink
                        ? await directory.ResolveAsync(typedSink, cancellationToken).ConfigureAwait(false)
                        : new EventSinkResolver((_, _) => null, directory.Options).Resolve(sink);
                    outcome = await gateway.ProbeAsync(resolution, cancellationToken).ConfigureAwait(false);
                    type = resolution.Type;
                }

                _tests.Inc(type, outcome.Verified ? "success" : "failure");
            }
        }

        var now = _time.GetUtcNow();
        var patch = BuildStatusPatch(test, outcome, now);
        try
        {
            await client.MergePatchStatusAsync(resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return ReconcileResult.Done;
        }

        _completed[key] = (KubeObjects.Uid(test), now);

        TestCompleted(_log, key, type, outcome.Verified ? "Succeeded" : "Failed", outcome.Reason);
        return ReconcileResult.After(ttl);
    }

    /// <summary>The status of a completed test.</summary>
    public static JsonObject BuildStatusPatch(JsonObject test, SinkProbeOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(outcome);
        var generation = KubeObjects.Generation(test);
        var conditions = test["status"]?["conditions"] is JsonArray existing ? (JsonArray)existing.DeepClone() : [];
        StatusConditions.Set(conditions, "Succeeded", outcome.Verified ? "True" : "False", outcome.Reason, outcome.Message, generation, now);
        return new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["completed"] = true,
                ["completedAt"] = StatusConditions.FormatTime(now),
                ["latencyMs"] = (long)outcome.Elapsed.TotalMilliseconds,
                ["result"] = outcome.Verified ? "Succeeded" : "Failed",
                ["reason"] = outcome.Reason,
                ["message"] = outcome.Message,
                ["conditions"] = conditions,
            },
        };
    }

    private async Task<ReconcileResult> ExpireAsync(string? ns, string name, JsonObject test, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var completedAt = DateTimeOffset.TryParse((string?)test["status"]?["completedAt"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : _time.GetUtcNow();
        var remaining = completedAt + ttl - _time.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            return ReconcileResult.After(remaining);
        }

        await client.DeleteAsync(resource, ns, name, cancellationToken).ConfigureAwait(false);
        _completed.TryRemove(KubeObjects.Key(test), out _);

        TestDeleted(_log, KubeObjects.Key(test));
        return ReconcileResult.Done;
    }

    private async Task SetOwnerAsync(string? ns, string name, JsonObject test, JsonObject sink, string sinkKind, CancellationToken cancellationToken)
    {
        var uid = KubeObjects.Uid(sink);
        var owners = test["metadata"]?["ownerReferences"] as JsonArray;
        if (uid is null || owners?.Any(o => (string?)o?["uid"] == uid) == true)
        {
            return;
        }

        var references = owners is null ? new JsonArray() : (JsonArray)owners.DeepClone();
        references.Add((JsonNode)new JsonObject
        {
            ["apiVersion"] = (string?)sink["apiVersion"] ?? KollectEventSink.Group + "/" + KollectEventSink.Version,
            ["kind"] = sinkKind,
            ["name"] = KubeObjects.Name(sink),
            ["uid"] = uid,
        });
        try
        {
            await client.MergePatchAsync(resource, ns, name, new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = references } }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted meanwhile; the status write below finds out too.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "connection test completed: {test} ({sinkType}) {result} {reason}")]
    private static partial void TestCompleted(ILogger logger, string test, string? sinkType, string result, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "connection test deleted after its TTL: {test}")]
    private static partial void TestDeleted(ILogger logger, string test);
}
