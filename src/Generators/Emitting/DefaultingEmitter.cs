using System.Globalization;
using System.Linq;
using Kollect.Generators.Model;

namespace Kollect.Generators.Emitting;

/// <summary>
/// Emits schema defaulting as code over <c>JsonObject</c>, as kube-apiserver defaults: a default
/// fills a field that is absent (or null where the schema does not allow null) in an object that
/// is present; defaulting then continues inside the value, array items and map values.
/// </summary>
internal static class DefaultingEmitter
{
    public static void Emit(SourceWriter w, KindModel kind)
    {
        w.Line("/// <summary>Applies the CRD schema defaults in place.</summary>");
        w.Open("public static void ApplyDefaults(JsonObject value)");
        if (HasDefaults(kind.Root))
        {
            w.Line($"Default{kind.Root.TypeName}(value);");
        }

        w.Close();
        foreach (var node in ValidationEmitter.ObjectNodes(kind.Root).Where(HasDefaults))
        {
            w.Line();
            EmitMethod(w, node);
        }
    }

    /// <summary>True when applying defaults can change something inside this node.</summary>
    public static bool HasDefaults(SchemaNode node) => node.Kind switch
    {
        SchemaKind.Object => node.Properties.Any(p => p.Schema.DefaultJson is not null || HasDefaults(p.Schema)),
        SchemaKind.Map => HasDefaults(node.AdditionalProperties!),
        SchemaKind.Array => HasDefaults(node.Items!),
        _ => false,
    };

    private static void EmitMethod(SourceWriter w, SchemaNode node)
    {
        w.Open($"private static void Default{node.TypeName}(JsonObject value)");
        foreach (var property in node.Properties.Where(p => p.Schema.DefaultJson is not null))
        {
            var name = SourceWriter.Literal(property.JsonName);
            var absent = property.Schema.Nullable ? $"!value.ContainsKey({name})" : $"value[{name}] is null";
            w.Open($"if ({absent})");
            w.Line($"value[{name}] = JsonNode.Parse({SourceWriter.Literal(property.Schema.DefaultJson!)});");
            w.Close();
        }

        foreach (var property in node.Properties.Where(p => HasDefaults(p.Schema)))
        {
            EmitDescend(w, property.Schema, $"value[{SourceWriter.Literal(property.JsonName)}]", 0);
        }

        w.Close();
    }

    private static void EmitDescend(SourceWriter w, SchemaNode node, string expression, int depth)
    {
        var suffix = depth.ToString(CultureInfo.InvariantCulture);
        switch (node.Kind)
        {
            case SchemaKind.Object:
                w.Open($"if ({expression} is JsonObject object{suffix})");
                w.Line($"Default{node.TypeName}(object{suffix});");
                w.Close();
                break;
            case SchemaKind.Array:
                w.Open($"if ({expression} is JsonArray array{suffix})");
                w.Open($"foreach (var item{suffix} in array{suffix})");
                EmitDescend(w, node.Items!, "item" + suffix, depth + 1);
                w.Close();
                w.Close();
                break;
            case SchemaKind.Map:
                w.Open($"if ({expression} is JsonObject map{suffix})");
                w.Open($"foreach (var entry{suffix} in map{suffix})");
                EmitDescend(w, node.AdditionalProperties!, $"entry{suffix}.Value", depth + 1);
                w.Close();
                w.Close();
                break;
        }
    }
}
