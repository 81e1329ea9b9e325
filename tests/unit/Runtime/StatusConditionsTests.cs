using System.Text.Json.Nodes;
using Kollect.Operator.Runtime;

namespace Kollect.Tests.Unit.Runtime;

public sealed class StatusConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    [Fact]
    public void New_condition_gets_transition_time_and_generation()
    {
        var conditions = new JsonArray();
        Assert.True(StatusConditions.Set(conditions, "Ready", "True", "Ok", "fine", 3, T0));
        var condition = StatusConditions.Find(conditions, "Ready")!;
        Assert.Equal("2026-01-01T00:00:00Z", (string?)condition["lastTransitionTime"]);
        Assert.Equal(3L, (long)condition["observedGeneration"]!);
    }

    [Fact]
    public void Same_status_keeps_transition_time_but_updates_reason_and_generation()
    {
        var conditions = new JsonArray();
        StatusConditions.Set(conditions, "Ready", "True", "Ok", "fine", 1, T0);
        Assert.True(StatusConditions.Set(conditions, "Ready", "True", "StillOk", "still fine", 2, T1));
        var condition = StatusConditions.Find(conditions, "Ready")!;
        Assert.Equal("2026-01-01T00:00:00Z", (string?)condition["lastTransitionTime"]);
        Assert.Equal("StillOk", (string?)condition["reason"]);
        Assert.Equal(2L, (long)condition["observedGeneration"]!);
    }

    [Fact]
    public void Changed_status_moves_transition_time()
    {
        var conditions = new JsonArray();
        StatusConditions.Set(conditions, "Ready", "True", "Ok", "fine", 1, T0);
        Assert.True(StatusConditions.Set(conditions, "Ready", "False", "Broken", "not fine", 1, T1));
        Assert.Equal("2026-01-01T00:05:00Z", (string?)StatusConditions.Find(conditions, "Ready")!["lastTransitionTime"]);
    }

    [Fact]
    public void Setting_an_identical_condition_reports_no_change()
    {
        var conditions = new JsonArray();
        StatusConditions.Set(conditions, "Ready", "True", "Ok", "fine", 1, T0);
        StatusConditions.Set(conditions, "Synced", "False", "Wait", "waiting", 1, T0);
        Assert.False(StatusConditions.Set(conditions, "Ready", "True", "Ok", "fine", 1, T1));
        Assert.Equal(2, conditions.Count);
    }
}
