namespace Kollect.Operator.Validation;

/// <summary>An error makes a manifest invalid; a warning reports something accepted but ignored or risky.</summary>
public enum ValidationSeverity
{
    Error,
    Warning,
}
