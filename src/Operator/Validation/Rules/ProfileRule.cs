using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;

namespace Kollect.Operator.Validation.Rules;

/// <summary>KollectProfile rules (SPEC §2.4), on the generated model: the target GVK and unique, non-empty attribute names and paths.</summary>
public sealed class ProfileRule : ISemanticRule
{
    public void Check(SemanticValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind != KollectProfile.KindName || context.Read(KollectJsonContext.Default.KollectProfile)?.Spec is not { } spec)
        {
            return;
        }

        var report = context.Report;
        var gvkPath = $"{KollectProfile.JsonNames.Spec}.{KollectProfileSpec.JsonNames.TargetGVK}";
        foreach (var (field, value) in new[] { (KollectProfileSpecTargetGVK.JsonNames.Version, spec.TargetGVK.Version), (KollectProfileSpecTargetGVK.JsonNames.Kind, spec.TargetGVK.Kind) })
        {
            if (string.IsNullOrEmpty(value))
            {
                report.Error($"{gvkPath}.{field}", FieldMessages.Required($"the {field} of the objects to collect"));
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var attributes = spec.Attributes ?? [];
        for (var i = 0; i < attributes.Count; i++)
        {
            var path = $"{KollectProfile.JsonNames.Spec}.{KollectProfileSpec.JsonNames.Attributes}[{i}]";
            var attribute = attributes[i];
            if (attribute.Name.Length == 0)
            {
                report.Error($"{path}.{KollectProfileSpecAttributesItem.JsonNames.Name}", FieldMessages.Required("the key the extracted value is stored under"));
            }
            else if (!names.Add(attribute.Name))
            {
                report.Error($"{path}.{KollectProfileSpecAttributesItem.JsonNames.Name}", FieldMessages.Duplicate(attribute.Name));
            }

            if (attribute.Path.Trim().Length == 0)
            {
                report.Error($"{path}.{KollectProfileSpecAttributesItem.JsonNames.Path}", FieldMessages.Required("a JSONPath ($.spec.x, {.spec.x}) or cel: expression"));
            }
        }
    }
}
