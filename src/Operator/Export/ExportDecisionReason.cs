namespace Kollect.Operator.Export;

/// <summary>Why <see cref="ExportDebouncer"/> decided to send or skip.</summary>
public enum ExportDecisionReason
{
    /// <summary>Nothing was exported to this ref before: send.</summary>
    FirstExport,
    /// <summary>The inventory generation changed: send.</summary>
    GenerationChanged,
    /// <summary>The rows changed: send.</summary>
    ContentChanged,
    /// <summary>Unchanged, but the interval has elapsed since the last export: send again.</summary>
    IntervalElapsed,
    /// <summary>Unchanged and the interval has not elapsed: skip.</summary>
    UnchangedWithinInterval,
    /// <summary>Unchanged and the interval is 0, which means "never re-send unchanged content": skip.</summary>
    UnchangedNoResend,
}
