using System.Text.Json;
using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// Checks the syntax of every <c>KollectProfile</c> attribute path (SPEC §3: JSONPath subset or
/// <c>cel:</c>) with the extraction engine's own parser, passed in as <paramref name="checkPath"/>:
/// it returns what is wrong with a path, or null when the path is supported.
/// </summary>
public sealed class AttributePathRule(Func<string, string?> checkPath) : ISemanticRule
{
    public void Check(SemanticValidationContext context)
    {
        if (context.Kind != KollectProfile.KindName)
        {
            return;
        }

        foreach (var (index, attribute) in JsonFields.Items(JsonFields.Get(context.Spec, "attributes")))
        {
            if (JsonFields.Get(attribute, "path") is { ValueKind: JsonValueKind.String } path &&
                path.GetString()!.Trim().Length > 0 &&
                checkPath(path.GetString()!) is { } problem)
            {
                context.Report.Error($"spec.attributes[{index}].path", FieldMessages.Invalid(path.GetString()!, problem));
            }
        }
    }
}
