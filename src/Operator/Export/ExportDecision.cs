namespace Kollect.Operator.Export;

/// <summary>
/// A debounce decision. <see cref="RecheckAt"/> is when an unchanged export becomes due
/// (set only for <see cref="ExportDecisionReason.UnchangedWithinInterval"/>), so the caller can requeue.
/// </summary>
public sealed record ExportDecision(bool Send, ExportDecisionReason Reason, DateTimeOffset? RecheckAt);
