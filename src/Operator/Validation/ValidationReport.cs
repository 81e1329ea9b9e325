namespace Kollect.Operator.Validation;

/// <summary>Collects the problems found in one object, in the order they were found.</summary>
public sealed class ValidationReport
{
    private readonly List<ValidationProblem> _problems = [];

    public IReadOnlyList<ValidationProblem> Problems => _problems;

    public IEnumerable<ValidationProblem> Errors => _problems.Where(p => p.Severity == ValidationSeverity.Error);

    public IEnumerable<ValidationProblem> Warnings => _problems.Where(p => p.Severity == ValidationSeverity.Warning);

    public bool HasErrors => _problems.Any(p => p.Severity == ValidationSeverity.Error);

    public void Error(string path, string message) => _problems.Add(new ValidationProblem(ValidationSeverity.Error, path, message));

    public void Warning(string path, string message) => _problems.Add(new ValidationProblem(ValidationSeverity.Warning, path, message));

    public void Add(ValidationProblem problem) => _problems.Add(problem);
}
