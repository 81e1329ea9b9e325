using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

/// <summary>Truth table of SPEC §4: skip iff same generation ∧ same checksum ∧ interval not elapsed (0 ⇒ never re-send unchanged).</summary>
public sealed class ExportDebouncerTests
{
    private static readonly DateTimeOffset LastTime = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly LastExport Last = new("sum-a", 3, LastTime);

    [Theory]
    // generation same?, checksum same?, seconds since last, interval seconds → send?, reason
    [InlineData(true, true, 10, 30, false, ExportDecisionReason.UnchangedWithinInterval)]
    [InlineData(true, true, 29, 30, false, ExportDecisionReason.UnchangedWithinInterval)]
    [InlineData(true, true, 30, 30, true, ExportDecisionReason.IntervalElapsed)]
    [InlineData(true, true, 31, 30, true, ExportDecisionReason.IntervalElapsed)]
    [InlineData(true, true, -5, 30, false, ExportDecisionReason.UnchangedWithinInterval)]
    [InlineData(true, true, 0, 0, false, ExportDecisionReason.UnchangedNoResend)]
    [InlineData(true, true, 86400, 0, false, ExportDecisionReason.UnchangedNoResend)]
    [InlineData(true, false, 1, 30, true, ExportDecisionReason.ContentChanged)]
    [InlineData(true, false, 1, 0, true, ExportDecisionReason.ContentChanged)]
    [InlineData(false, true, 1, 30, true, ExportDecisionReason.GenerationChanged)]
    [InlineData(false, false, 1, 30, true, ExportDecisionReason.GenerationChanged)]
    [InlineData(false, true, 1, 0, true, ExportDecisionReason.GenerationChanged)]
    public void Decision(bool sameGeneration, bool sameChecksum, int secondsSince, int intervalSeconds, bool send, ExportDecisionReason reason)
    {
        var decision = ExportDebouncer.Decide(
            Last,
            sameChecksum ? "sum-a" : "sum-b",
            sameGeneration ? 3 : 4,
            LastTime.AddSeconds(secondsSince),
            TimeSpan.FromSeconds(intervalSeconds));
        Assert.Equal(send, decision.Send);
        Assert.Equal(reason, decision.Reason);
        Assert.Equal(reason == ExportDecisionReason.UnchangedWithinInterval ? LastTime.AddSeconds(intervalSeconds) : null, decision.RecheckAt);
    }

    [Fact]
    public void Nothing_exported_before_sends()
    {
        var decision = ExportDebouncer.Decide(null, "sum-a", 3, LastTime, TimeSpan.Zero);
        Assert.True(decision.Send);
        Assert.Equal(ExportDecisionReason.FirstExport, decision.Reason);
    }

    [Fact]
    public void Negative_interval_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExportDebouncer.Decide(Last, "sum-a", 3, LastTime, TimeSpan.FromSeconds(-1)));
    }
}
