using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Operator.Manifests;

namespace Kollect.Operator.Validation;

/// <summary>
/// The result of validating one manifest document. <see cref="Kind"/> is null for documents of
/// other API groups (Secrets, ConfigMaps, ...), which are not validated (<see cref="Skipped"/>),
/// and for unknown Kollect kinds (an error). <see cref="Defaulted"/> is the object with schema
/// defaults applied, for callers that go on to use it.
/// </summary>
public sealed record ManifestValidation(
    ManifestDocument Document,
    KollectKind? Kind,
    bool Skipped,
    IReadOnlyList<ValidationProblem> Problems,
    JsonObject? Defaulted)
{
    public IEnumerable<ValidationProblem> Errors => Problems.Where(p => p.Severity == ValidationSeverity.Error);

    public IEnumerable<ValidationProblem> Warnings => Problems.Where(p => p.Severity == ValidationSeverity.Warning);

    public bool IsValid => !Errors.Any();
}
