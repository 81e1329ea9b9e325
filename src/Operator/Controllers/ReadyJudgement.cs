namespace Kollect.Operator.Controllers;

/// <summary>The <c>Ready</c> condition's status, reason and message for one object.</summary>
public sealed record ReadyJudgement(string Status, string Reason, string Message);
