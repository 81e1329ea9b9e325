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
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ObjectKey, (string? Uid, DateTimeOffset At)> _completed = new();
    private KubeResource? _sinks;
    private KubeResource? _databaseSinks;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (informer.Get(key) is not { } test)
        {
            _completed.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        var (ns, name) = (key.ApiNamespace, key.Name);
        var typed = test.Deserialize(KollectJsonContext.Default.KollectConnectionTest)!;
        var ttl = TimeSpan.FromSeconds(typed.Spec?.TtlSecondsAfterFinished ?? DefaultTtlSeconds);
        if (typed.Status?.Completed == true)
        {
            return await ExpireAsync(ns, name, typed, ttl, cancellationToken).ConfigureAwait(false);
        }

        if (_completed.TryGetValue(key, out var finished) && finished.Uid == KubeObjects.Uid(test))
        {
            var wait = finished.At + ttl - _time.GetUtcNow();
            return ReconcileResult.After(wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
        }

        var sinkRef = typed.Spec?.SinkRef;
        var eventSink = sinkRef?.EventSinkRef;
        var databaseSink = sinkRef?.DatabaseSinkRef;
        var database = string.IsNullOrEmpty(eventSink) && !string.IsNullOrEmpty(databaseSink) && databaseDirectory is not null && databaseGateway is not null;
        var sinkName = database ? databaseSink : eventSink;
        var (sinkKind, field) = database ? (KollectDatabaseSink.KindName, Paths.DatabaseSinkRef) : (KollectEventSink.KindName, Paths.EventSinkRef);
        SinkProbeOutcome outcome;
        string type;
        if (string.IsNullOrEmpty(sinkName))
        {
            const string DatabaseSinkRef = KollectConnectionTestSpecSinkRef.JsonNames.DatabaseSinkRef;
            var message = sinkRef?.SnapshotSinkRef is not null
                ? $"KollectConnectionTest {key}: {Paths.SnapshotSinkRef} is not supported: this operator has event and database sinks only; set {Paths.EventSinkRef} or {DatabaseSinkRef}"
                : !string.IsNullOrEmpty(databaseSink)
                    ? $"KollectConnectionTest {key}: {Paths.DatabaseSinkRef} is not supported by this controller, which has no database sinks"
                    : $"KollectConnectionTest {key}: {Paths.SinkRef} names no sink; set {Paths.EventSinkRef} to a KollectEventSink or {DatabaseSinkRef} to a KollectDatabaseSink";
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
                var owned = typed.Spec?.OwnerSink != false;
                if (owned)
                {
                    await SetOwnerAsync(ns, name, test, sink, sinkKind, cancellationToken).ConfigureAwait(false);
                }

                if (database && KollectModels.DatabaseSink(sink) is { } typedDatabaseSink)
                {
                    var resolution = await databaseDirectory!.ResolveAsync(typedDatabaseSink, cancellationToken).ConfigureAwait(false);
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
        var patch = BuildStatusPatch(typed, outcome, now);
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

    /// <summary>The status of a completed test, as its generated status type.</summary>
    public static JsonObject BuildStatusPatch(KollectConnectionTest test, SinkProbeOutcome outcome, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(outcome);
        var generation = test.Metadata.Generation ?? 0;
        var conditions = (test.Status?.Conditions ?? []).Select(c => new Condition
        {
            Type = c.Type, Status = c.Status, ObservedGeneration = c.ObservedGeneration, LastTransitionTime = c.LastTransitionTime, Reason = c.Reason, Message = c.Message,
        }).ToList();
        StatusConditions.Set(conditions, "Succeeded", outcome.Verified ? "True" : "False", outcome.Reason, outcome.Message, generation, now);
        var status = new KollectConnectionTestStatus
        {
            ObservedGeneration = generation,
            Completed = true,
            CompletedAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            LatencyMs = (long)outcome.Elapsed.TotalMilliseconds,
            Result = outcome.Verified ? KollectConnectionTestStatusResult.Succeeded : KollectConnectionTestStatusResult.Failed,
            Reason = outcome.Reason,
            Message = outcome.Message,
            Conditions = conditions,
        };
        return new JsonObject { [KollectConnectionTest.JsonNames.Status] = JsonSerializer.SerializeToNode(status, KollectJsonContext.Default.KollectConnectionTestStatus) };
    }

    private async Task<ReconcileResult> ExpireAsync(string? ns, string name, KollectConnectionTest test, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var completedAt = test.Status?.CompletedAt ?? _time.GetUtcNow();
        var remaining = completedAt + ttl - _time.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            return ReconcileResult.After(remaining);
        }

        var key = new ObjectKey(ns ?? "", name);
        await client.DeleteAsync(resource, ns, name, cancellationToken).ConfigureAwait(false);
        _completed.TryRemove(key, out _);

        TestDeleted(_log, key);
        return ReconcileResult.Done;
    }

    /// <summary>The field paths the reconciler's messages name, from the generated JSON names.</summary>
    private static class Paths
    {
        public const string SinkRef = $"{KollectConnectionTest.JsonNames.Spec}.{KollectConnectionTestSpec.JsonNames.SinkRef}";
        public const string EventSinkRef = $"{SinkRef}.{KollectConnectionTestSpecSinkRef.JsonNames.EventSinkRef}";
        public const string DatabaseSinkRef = $"{SinkRef}.{KollectConnectionTestSpecSinkRef.JsonNames.DatabaseSinkRef}";
        public const string SnapshotSinkRef = $"{SinkRef}.{KollectConnectionTestSpecSinkRef.JsonNames.SnapshotSinkRef}";
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
    private static partial void TestCompleted(ILogger logger, ObjectKey test, string? sinkType, string result, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "connection test deleted after its TTL: {test}")]
    private static partial void TestDeleted(ILogger logger, ObjectKey test);
}
