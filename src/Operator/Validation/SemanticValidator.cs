using System.Text.Json;

namespace Kollect.Operator.Validation;

/// <summary>Runs semantic rules over one defaulted Kollect object (SPEC §2, §8 <c>kollect validate</c>).</summary>
public sealed class SemanticValidator(IReadOnlyList<ISemanticRule> rules, SemanticValidationOptions options)
{
    public SemanticValidationOptions Options { get; } = options;

    /// <summary>Validates <paramref name="obj"/> (the whole object) of <paramref name="kind"/>; adds problems to <paramref name="report"/>.</summary>
    public void Validate(string kind, bool namespaced, JsonElement obj, ValidationReport report)
    {
        var context = new SemanticValidationContext(kind, namespaced, obj, Options, report);
        foreach (var rule in rules)
        {
            rule.Check(context);
        }
    }

    /// <summary>Validates and returns a fresh report.</summary>
    public ValidationReport Validate(string kind, bool namespaced, JsonElement obj)
    {
        var report = new ValidationReport();
        Validate(kind, namespaced, obj, report);
        return report;
    }
}
