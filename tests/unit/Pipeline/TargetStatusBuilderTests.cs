using System.Text.Json;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Collect;
using Kollect.Operator.Pipeline;
using Kollect.Tests.Unit.Collect.Engine;

namespace Kollect.Tests.Unit.Pipeline;

public sealed class TargetStatusBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);
    private static readonly TargetKey Key = TargetKey.Namespaced("team", "t");

    private static TargetReport Report(int count = 2, int failures = 0, string? error = null, TargetCollectionState state = TargetCollectionState.Collecting, string? problem = null) =>
        new(Key, state, problem, count, ["a", "b"], ["a"], failures, error);

    private static KollectTarget Apply(KollectTarget typed, JsonObject patch)
    {
        var target = JsonSerializer.SerializeToNode(typed, KollectJsonContext.Default.KollectTarget)!.AsObject();
        var status = target["status"] as JsonObject ?? [];
        foreach (var (field, value) in patch["status"]!.AsObject())
        {
            if (value is null)
            {
                status.Remove(field);
            }
            else
            {
                status[field] = value.DeepClone();
            }
        }
        target["status"] = status.DeepClone();
        return target.Deserialize(KollectJsonContext.Default.KollectTarget)!;
    }

    [Fact]
    public void First_patch_sets_every_field_and_the_second_is_null()
    {
        var target = EngineObjects.Target("team", "t", generation: 3);
        var patch = TargetStatusBuilder.Build(target, Report(), T0)!;
        var status = patch["status"]!;
        Assert.Equal(2L, (long)status["collectedCount"]!);
        Assert.Equal("2026-01-01T00:00:00Z", (string?)status["collectedCountUpdatedAt"]);
        Assert.Equal(2L, (long)status["matchedNamespaces"]!);
        Assert.Equal(1L, (long)status["effectiveNamespaces"]!);
        Assert.Equal(0L, (long)status["extractionFailures"]!);
        Assert.Equal(3L, (long)status["observedGeneration"]!);
        Assert.Equal("True", (string?)status["conditions"]![0]!["status"]);

        target = Apply(target, patch);
        Assert.Null(TargetStatusBuilder.Build(target, Report(), T1));
    }

    [Fact]
    public void Count_time_moves_only_with_the_count()
    {
        var target = Apply(EngineObjects.Target("team", "t"), TargetStatusBuilder.Build(EngineObjects.Target("team", "t"), Report(), T0)!);
        var failing = TargetStatusBuilder.Build(target, Report(failures: 1, error: "ConfigMap team/x: attribute 'a' failed"), T1)!;
        Assert.Null(failing["status"]!["collectedCountUpdatedAt"]);
        target = Apply(target, failing);
        var degraded = target.Status!.Conditions!.Single(c => c.Type == "Degraded");
        Assert.Equal("True", degraded.Status);
        Assert.Equal("ExtractionFailed", degraded.Reason);
        Assert.Equal("ConfigMap team/x: attribute 'a' failed", target.Status.LastExtractionError);

        var recovered = TargetStatusBuilder.Build(target, Report(count: 3), T1)!;
        Assert.Equal("2026-01-01T00:01:00Z", (string?)recovered["status"]!["collectedCountUpdatedAt"]);
        Assert.True(recovered["status"]!.AsObject().ContainsKey("lastExtractionError"));
        Assert.Null(recovered["status"]!["lastExtractionError"]);
    }

    [Theory]
    [InlineData(TargetCollectionState.ProfileNotFound)]
    [InlineData(TargetCollectionState.InvalidSpec)]
    [InlineData(TargetCollectionState.Suspended)]
    public void Not_collecting_makes_Ready_false_with_the_state_as_reason(TargetCollectionState state)
    {
        var patch = TargetStatusBuilder.Build(EngineObjects.Target("team", "t"), Report(count: 0, state: state, problem: "the problem"), T0)!;
        var ready = patch["status"]!["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Ready")!;
        Assert.Equal("False", (string?)ready["status"]);
        Assert.Equal(state.ToString(), (string?)ready["reason"]);
        Assert.Equal("the problem", (string?)ready["message"]);
    }
}
