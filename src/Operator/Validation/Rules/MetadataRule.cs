using System.Text.Json;

namespace Kollect.Operator.Validation.Rules;

/// <summary>Every Kollect object needs a DNS-1123 name; a namespace, when given, must be a DNS-1123 label.</summary>
public sealed class MetadataRule : ISemanticRule
{
    public void Check(SemanticValidationContext context)
    {
        var metadata = JsonFields.Get(context.Object, "metadata");
        var name = JsonFields.Get(metadata, "name");
        if (name.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            if (JsonFields.GetString(metadata, "generateName") is not { Length: > 0 })
            {
                context.Report.Error("metadata.name", FieldMessages.Required($"every {context.Kind} needs a name"));
            }
        }
        else if (name.ValueKind == JsonValueKind.String)
        {
            CommonRules.CheckObjectName(name.GetString()!, "metadata.name", $"the {context.Kind}", context.Report);
        }

        var ns = JsonFields.Get(metadata, "namespace");
        if (ns.ValueKind != JsonValueKind.String)
        {
            return;
        }

        if (!context.Namespaced)
        {
            context.Report.Warning("metadata.namespace", $"{context.Kind} is cluster-scoped; the namespace is ignored");
        }
        else
        {
            CommonRules.CheckNamespaceName(ns.GetString()!, "metadata.namespace", context.Report);
        }
    }
}
