namespace Kollect.Operator.Export;

/// <summary>
/// The debounce rule of SPEC §4 per (inventory, sink ref): skip iff the generation and the
/// content checksum are those last exported and the interval has not elapsed since then; an
/// interval of 0 never re-sends unchanged content. Changes are sent at once. A clock that went
/// backwards counts as "not elapsed".
/// </summary>
public static class ExportDebouncer
{
    public static ExportDecision Decide(LastExport? last, string contentChecksum, long generation, DateTimeOffset now, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(contentChecksum);
        if (interval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "interval must not be negative");
        }
        if (last is null)
        {
            return new ExportDecision(true, ExportDecisionReason.FirstExport, null);
        }
        if (last.Generation != generation)
        {
            return new ExportDecision(true, ExportDecisionReason.GenerationChanged, null);
        }
        if (!string.Equals(last.Checksum, contentChecksum, StringComparison.Ordinal))
        {
            return new ExportDecision(true, ExportDecisionReason.ContentChanged, null);
        }
        if (interval == TimeSpan.Zero)
        {
            return new ExportDecision(false, ExportDecisionReason.UnchangedNoResend, null);
        }
        var due = last.Time + interval;
        return now >= due
            ? new ExportDecision(true, ExportDecisionReason.IntervalElapsed, null)
            : new ExportDecision(false, ExportDecisionReason.UnchangedWithinInterval, due);
    }
}
