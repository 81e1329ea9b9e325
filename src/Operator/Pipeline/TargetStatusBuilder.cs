using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Json;
using Kollect.Operator.Runtime;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// Builds the status merge patch of a KollectTarget or KollectClusterTarget from its
/// <see cref="TargetReport"/> (SPEC §2.4), as the kind's generated <c>*Status</c> type holding
/// only the fields that change. Returns null when the stored status already says the same, so
/// resyncs write nothing; <c>collectedCountUpdatedAt</c> moves only when <c>collectedCount</c> changes.
/// </summary>
public static class TargetStatusBuilder
{
    public const string ReadyCondition = "Ready";
    public const string DegradedCondition = "Degraded";
    public const string ExtractionFailedReason = "ExtractionFailed";

    public static JsonObject? Build(KollectTarget target, TargetReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        var s = target.Status;
        var stored = new Fields(s?.ObservedGeneration, s?.CollectedCount, s?.CollectedCountUpdatedAt, s?.MatchedNamespaces, s?.EffectiveNamespaces, s?.ExtractionFailures, s?.LastExtractionError, s?.Conditions);
        if (Diff(stored, target.Metadata.Generation ?? 0, report, now) is not { } change)
        {
            return null;
        }
        var patch = new KollectTargetStatus
        {
            ObservedGeneration = change.ObservedGeneration, CollectedCount = change.CollectedCount, CollectedCountUpdatedAt = change.CollectedCountUpdatedAt,
            MatchedNamespaces = change.MatchedNamespaces, EffectiveNamespaces = change.EffectiveNamespaces, ExtractionFailures = change.ExtractionFailures,
            LastExtractionError = change.LastExtractionError, Conditions = change.Conditions,
        };
        return Wrap(JsonSerializer.SerializeToNode(patch, KollectJsonContext.Default.KollectTargetStatus)!.AsObject(), change.ClearsError, KollectTargetStatus.JsonNames.LastExtractionError, KollectTarget.JsonNames.Status);
    }

    public static JsonObject? Build(KollectClusterTarget target, TargetReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        var s = target.Status;
        var stored = new Fields(s?.ObservedGeneration, s?.CollectedCount, s?.CollectedCountUpdatedAt, s?.MatchedNamespaces, s?.EffectiveNamespaces, s?.ExtractionFailures, s?.LastExtractionError, s?.Conditions);
        if (Diff(stored, target.Metadata.Generation ?? 0, report, now) is not { } change)
        {
            return null;
        }
        var patch = new KollectClusterTargetStatus
        {
            ObservedGeneration = change.ObservedGeneration, CollectedCount = change.CollectedCount, CollectedCountUpdatedAt = change.CollectedCountUpdatedAt,
            MatchedNamespaces = change.MatchedNamespaces, EffectiveNamespaces = change.EffectiveNamespaces, ExtractionFailures = change.ExtractionFailures,
            LastExtractionError = change.LastExtractionError, Conditions = change.Conditions,
        };
        return Wrap(JsonSerializer.SerializeToNode(patch, KollectJsonContext.Default.KollectClusterTargetStatus)!.AsObject(), change.ClearsError, KollectClusterTargetStatus.JsonNames.LastExtractionError, KollectClusterTarget.JsonNames.Status);
    }

    private static JsonObject Wrap(JsonObject status, bool clearsError, string errorField, string statusField)
    {
        if (clearsError)
        {
            // null in a merge patch removes the field once the failures are gone.
            status[errorField] = null;
        }
        return new JsonObject { [statusField] = status };
    }

    /// <summary>The fields both target kinds' statuses have; in a change, null means unchanged.</summary>
    private sealed record Fields(
        long? ObservedGeneration, long? CollectedCount, DateTimeOffset? CollectedCountUpdatedAt, int? MatchedNamespaces, int? EffectiveNamespaces,
        long? ExtractionFailures, string? LastExtractionError, List<Condition>? Conditions, bool ClearsError = false);

    private static Fields? Diff(Fields stored, long generation, TargetReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(report);
        var countChanged = stored.CollectedCount != report.CollectedCount;
        var errorChanged = stored.LastExtractionError != report.LastExtractionError;

        var conditions = (stored.Conditions ?? []).Select(Clone).ToList();
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

        var change = new Fields(
            stored.ObservedGeneration == generation ? null : generation,
            countChanged ? report.CollectedCount : null,
            countChanged || stored.CollectedCountUpdatedAt is null ? Seconds(now) : null,
            stored.MatchedNamespaces == report.MatchedNamespaces.Count ? null : report.MatchedNamespaces.Count,
            stored.EffectiveNamespaces == report.EffectiveNamespaces.Count ? null : report.EffectiveNamespaces.Count,
            stored.ExtractionFailures == report.ExtractionFailures ? null : report.ExtractionFailures,
            errorChanged ? report.LastExtractionError : null,
            conditionsChanged ? conditions : null,
            errorChanged && report.LastExtractionError is null);
        return change == new Fields(null, null, null, null, null, null, null, null) ? null : change;
    }

    // metav1.Time has whole seconds.
    private static DateTimeOffset Seconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static Condition Clone(Condition c) => new()
    {
        Type = c.Type, Status = c.Status, ObservedGeneration = c.ObservedGeneration, LastTransitionTime = c.LastTransitionTime, Reason = c.Reason, Message = c.Message,
    };
}
