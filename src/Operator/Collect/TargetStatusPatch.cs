using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;

namespace Kollect.Operator.Collect;

/// <summary>
/// Builds the status merge patch of a KollectTarget or KollectClusterTarget from its
/// <see cref="TargetReport"/> (SPEC §2.4; field names of <c>crds/kollect.dev_kollecttargets.yaml</c>
/// status). Returns null when the stored status already says the same, so resyncs write nothing;
/// <c>collectedCountUpdatedAt</c> moves only when <c>collectedCount</c> changes.
/// </summary>
public static class TargetStatusPatch
{
    public const string ReadyCondition = "Ready";
    public const string DegradedCondition = "Degraded";
    public const string ExtractionFailedReason = "ExtractionFailed";

    public static JsonObject? Build(JsonObject target, TargetReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(report);
        var status = target["status"] as JsonObject ?? [];
        var generation = KubeObjects.Generation(target);
        var patch = new JsonObject();

        SetIfDifferent(patch, status, "observedGeneration", generation);
        if (SetIfDifferent(patch, status, "collectedCount", report.CollectedCount) || status["collectedCountUpdatedAt"] is null)
        {
            patch["collectedCountUpdatedAt"] = StatusConditions.FormatTime(now);
        }
        SetIfDifferent(patch, status, "matchedNamespaces", report.MatchedNamespaces.Count);
        SetIfDifferent(patch, status, "effectiveNamespaces", report.EffectiveNamespaces.Count);
        SetIfDifferent(patch, status, "extractionFailures", report.ExtractionFailures);
        var storedError = status["lastExtractionError"] is JsonValue text && text.TryGetValue<string>(out var value) ? value : null;
        if (storedError != report.LastExtractionError)
        {
            // null in a merge patch removes the field once the failures are gone.
            patch["lastExtractionError"] = report.LastExtractionError;
        }

        var conditions = status["conditions"]?.DeepClone() as JsonArray ?? [];
        var (readyStatus, readyReason, readyMessage) = report.State switch
        {
            TargetCollectionState.Collecting => ("True", "Collecting", "Collecting the selected objects of the profile's kinds."),
            _ => ("False", report.State.ToString(), report.Problem ?? report.State.ToString()),
        };
        var conditionsChanged = StatusConditions.Set(conditions, ReadyCondition, readyStatus, readyReason, readyMessage, generation, now);
        conditionsChanged |= report.ExtractionFailures > 0
            ? StatusConditions.Set(conditions, DegradedCondition, "True", ExtractionFailedReason,
                $"{report.ExtractionFailures} object(s) have no row because a required attribute failed; last: {report.LastExtractionError}. Fix the profile path or mark the attribute optional.", generation, now)
            : StatusConditions.Set(conditions, DegradedCondition, "False", "AsExpected", "Every selected object yielded its row.", generation, now);
        if (conditionsChanged)
        {
            patch["conditions"] = conditions;
        }
        return patch.Count == 0 ? null : new JsonObject { ["status"] = patch };
    }

    private static bool SetIfDifferent(JsonObject patch, JsonObject status, string field, long value)
    {
        if (status[field] is JsonValue stored && stored.TryGetValue<long>(out var current) && current == value)
        {
            return false;
        }
        patch[field] = value;
        return true;
    }
}
