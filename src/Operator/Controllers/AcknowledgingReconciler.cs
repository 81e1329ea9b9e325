using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Operator.Kube;
using Kollect.Operator.Manifests;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Kollect.Operator.Validation;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// The reconciler of kinds whose status is their validity alone (<c>KollectProfile</c>: what it
/// collects shows on the targets that use it): <c>status.observedGeneration</c> and a <c>Ready</c>
/// condition, <c>False</c>/<c>InvalidSpec</c> when the semantic rules shared with
/// <c>kollect validate</c> reject the object (the API server has already applied the schema),
/// otherwise <c>True</c>/<c>Valid</c>. Patches only when something would change, so its own status
/// write (which bumps resourceVersion and comes back as a watch event) ends in a no-op, not a loop.
/// </summary>
public sealed partial class AcknowledgingReconciler(KubeClient client, KubeResource resource, Informer informer, SemanticValidator validator, ILoggerFactory loggers, TimeProvider? time = null) : IReconciler
{
    public const string ConditionType = "Ready";
    public const string Reason = "Valid";
    public const string InvalidReason = "InvalidSpec";

    // Condition messages are for people; a long list of problems belongs in `kollect validate`.
    private const int MaxProblemsInMessage = 5;
    private readonly ILogger _log = loggers.CreateLogger($"reconciler.{resource.Plural}");
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (informer.Get(key) is not { } obj)
        {
            return ReconcileResult.Done;
        }
        var judgement = Judge(validator, resource, obj);
        var patch = BuildStatusPatch(obj, judgement, _time.GetUtcNow());
        if (patch is null)
        {
            return ReconcileResult.Done;
        }
        var (ns, name) = (key.ApiNamespace, key.Name);
        try
        {
            await client.MergePatchStatusAsync(resource, ns, name, patch, cancellationToken).ConfigureAwait(false);
            StatusAcknowledged(_log, key, KubeObjects.Generation(obj));
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Deleted since the cache saw it; nothing to acknowledge.
        }
        return ReconcileResult.Done;
    }

    /// <summary>The Ready condition this build can state for <paramref name="obj"/> of <paramref name="resource"/>.</summary>
    public static ReadyJudgement Judge(SemanticValidator validator, KubeResource resource, JsonObject obj)
    {
        var namespaced = KollectKinds.All.FirstOrDefault(k => k.Kind == resource.Kind)?.Namespaced ?? resource.Namespaced;
        var report = validator.Validate(resource.Kind, namespaced, ManifestJson.ToElement(obj));
        var errors = report.Errors.ToList();
        if (errors.Count == 0)
        {
            return new ReadyJudgement("True", Reason, $"The {resource.Kind} passes the checks kollect validate applies.");
        }

        var shown = string.Join("; ", errors.Take(MaxProblemsInMessage).Select(e => $"{e.Path}: {e.Message}"));
        var more = errors.Count > MaxProblemsInMessage ? $"; and {errors.Count - MaxProblemsInMessage} more (run kollect validate)" : "";
        return new ReadyJudgement("False", InvalidReason, $"{errors.Count} problem(s) in the spec: {shown}{more}");
    }

    /// <summary>The status merge patch, or null when the status already says all of it.</summary>
    public static JsonObject? BuildStatusPatch(JsonObject obj, ReadyJudgement judgement, DateTimeOffset now)
    {
        var generation = KubeObjects.Generation(obj);
        var status = obj["status"] as JsonObject;
        var conditions = status?["conditions"] is JsonArray existing ? (JsonArray)existing.DeepClone() : [];
        var changed = StatusConditions.Set(conditions, ConditionType, judgement.Status, judgement.Reason, judgement.Message, generation, now);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "status acknowledged: {key} generation {generation}")]
    private static partial void StatusAcknowledged(ILogger logger, ObjectKey key, long generation);
}
