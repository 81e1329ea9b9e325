namespace Kollect.Operator.Validation;

/// <summary>One problem at a field path such as <c>spec.kafka.topic</c> or <c>spec.eventSinkRefs[0]</c>.</summary>
public sealed record ValidationProblem(ValidationSeverity Severity, string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
