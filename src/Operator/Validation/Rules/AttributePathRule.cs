using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;

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
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind != KollectProfile.KindName || context.Read(KollectJsonContext.Default.KollectProfile)?.Spec?.Attributes is not { } attributes)
        {
            return;
        }

        for (var i = 0; i < attributes.Count; i++)
        {
            var path = attributes[i].Path;
            if (path.Trim().Length > 0 && checkPath(path) is { } problem)
            {
                context.Report.Error(
                    $"{KollectProfile.JsonNames.Spec}.{KollectProfileSpec.JsonNames.Attributes}[{i}].{KollectProfileSpecAttributesItem.JsonNames.Path}",
                    FieldMessages.Invalid(path, problem));
            }
        }
    }
}
