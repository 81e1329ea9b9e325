using System.Text.Json;
using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Validation.Rules;

/// <summary>KollectProfile rules (SPEC §2.4): the target GVK and unique, non-empty attribute names and paths.</summary>
public sealed class ProfileRule : ISemanticRule
{
    public void Check(SemanticValidationContext context)
    {
        if (context.Kind != KollectProfile.KindName || !JsonFields.IsObject(context.Spec))
        {
            return;
        }

        var spec = context.Spec;
        var report = context.Report;
        var gvk = JsonFields.Get(spec, "targetGVK");
        if (!JsonFields.IsObject(gvk))
        {
            if (gvk.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                report.Error("spec.targetGVK", FieldMessages.Required("the group, version and kind of the objects to collect"));
            }
        }
        else
        {
            foreach (var field in new[] { "version", "kind" })
            {
                if (string.IsNullOrEmpty(JsonFields.GetString(gvk, field)) && JsonFields.Get(gvk, field).ValueKind is JsonValueKind.String or JsonValueKind.Undefined or JsonValueKind.Null)
                {
                    report.Error("spec.targetGVK." + field, FieldMessages.Required($"the {field} of the objects to collect"));
                }
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, attribute) in JsonFields.Items(JsonFields.Get(spec, "attributes")))
        {
            var path = $"spec.attributes[{index}]";
            if (JsonFields.Get(attribute, "name") is { ValueKind: JsonValueKind.String } nameElement)
            {
                var name = nameElement.GetString()!;
                if (name.Length == 0)
                {
                    report.Error(path + ".name", FieldMessages.Required("the key the extracted value is stored under"));
                }
                else if (!names.Add(name))
                {
                    report.Error(path + ".name", FieldMessages.Duplicate(name));
                }
            }

            if (JsonFields.GetString(attribute, "path") is { } attributePath && attributePath.Trim().Length == 0)
            {
                report.Error(path + ".path", FieldMessages.Required("a JSONPath ($.spec.x, {.spec.x}) or cel: expression"));
            }
        }
    }
}
