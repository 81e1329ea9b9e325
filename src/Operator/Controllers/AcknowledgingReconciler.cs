using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Issue #4's reconciler for every Kollect kind: records that the operator has seen the object —
/// <c>status.observedGeneration</c> and a <c>Ready</c> condition with status <c>Unknown</c>, reason
/// <c>Accepted</c> — and says plainly that validation and export are not in this build yet
/// (issues #5, #6). Patches only when something would change, so its own status write (which
/// bumps resourceVersion and comes back as a watch event) ends in a no-op, not a loop.
/// </summary>
public sealed class AcknowledgingReconciler(KubeClient client, KubeResource resource, Informer informer, Logger log, TimeProvider? time = null) : IReconciler
{
    public const string ConditionType = "Ready";
    public const string Reason = "Accepted";
    private readonly Logger _log = log.ForLogger($"reconciler.{resource.Plural}");
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Message => $"Seen by the kollect operator. Validation and export for {resource.Kind} are not implemented in this build yet, so readiness is unknown.";

    public async Task<ReconcileResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (informer.Get(key) is not { } obj)
        {
            return ReconcileResult.Done;
        }
        var patch = BuildStatusPatch(obj, Message, _time.GetUtcNow());
        if (patch is null)
        {
            return ReconcileResult.Done;
        }
        var (ns, name) = KubeObjects.SplitKey(key);
        try
        {
            await client.MergePatchStatusAsync(resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
            _log.Info("status acknowledged", ("key", key), ("generation", KubeObjects.Generation(obj)));
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted since the cache saw it; nothing to acknowledge.
        }
        return ReconcileResult.Done;
    }

    /// <summary>The status merge patch, or null when the status already says all of it.</summary>
    public static JsonObject? BuildStatusPatch(JsonObject obj, string message, DateTimeOffset now)
    {
        var generation = KubeObjects.Generation(obj);
        var status = obj["status"] as JsonObject;
        var conditions = status?["conditions"] is JsonArray existing ? (JsonArray)existing.DeepClone() : [];
        var changed = StatusConditions.Set(conditions, ConditionType, "Unknown", Reason, message, generation, now);
        var observed = status?["observedGeneration"] is JsonValue v && v.TryGetValue<long>(out var g) ? g : (long?)null;
        if (!changed && observed == generation)
        {
            return null;
        }
        return new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = generation,
                ["conditions"] = conditions,
            },
        };
    }
}
