using System.Collections.Generic;
using System.Linq;
using Kollect.Generators.Model;

namespace Kollect.Generators.Emitting;

/// <summary>
/// Emits the model types of one kind: the root type with its GVK constants and
/// <c>KollectKind</c> definition, the list type, one class per object node and one enum per
/// string enum. Nodes mapped to well-known types use the hand-written types of <c>Kollect.Api</c>.
/// </summary>
internal static class ModelEmitter
{
    private const string IgnoreWhenNull = "[JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]";

    public static void EmitRoot(SourceWriter w, KindModel kind)
    {
        var root = kind.Root;
        w.Summary(root.Description ?? $"A {kind.Kind} object ({kind.ApiVersion}).");
        w.Open($"public sealed partial class {kind.Kind}");
        w.Line("/// <summary>API group, from the CRD's <c>spec.group</c>.</summary>");
        w.Line($"public const string Group = {SourceWriter.Literal(kind.Group)};");
        w.Line();
        w.Line("/// <summary>API version, from the CRD's <c>spec.versions[].name</c>.</summary>");
        w.Line($"public const string Version = {SourceWriter.Literal(kind.Version)};");
        w.Line();
        w.Line("/// <summary>The <c>apiVersion</c> value: group/version.</summary>");
        w.Line($"public const string GroupVersion = {SourceWriter.Literal(kind.ApiVersion)};");
        w.Line();
        w.Line("/// <summary>The <c>kind</c> value, from <c>spec.names.kind</c>.</summary>");
        w.Line($"public const string KindName = {SourceWriter.Literal(kind.Kind)};");
        w.Line();
        w.Line("/// <summary>The list kind, from <c>spec.names.listKind</c>.</summary>");
        w.Line($"public const string ListKindName = {SourceWriter.Literal(kind.ListKind)};");
        w.Line();
        w.Line("/// <summary>The resource name in URLs, from <c>spec.names.plural</c>.</summary>");
        w.Line($"public const string Plural = {SourceWriter.Literal(kind.Plural)};");
        w.Line();
        w.Line("/// <summary>From <c>spec.names.singular</c>.</summary>");
        w.Line($"public const string Singular = {SourceWriter.Literal(kind.Singular)};");
        w.Line();
        w.Line("/// <summary>True when the CRD's scope is Namespaced.</summary>");
        w.Line($"public const bool Namespaced = {(kind.Namespaced ? "true" : "false")};");
        w.Line();
        w.Line("/// <summary>From <c>spec.names.shortNames</c>.</summary>");
        w.Line($"public static IReadOnlyList<string> ShortNames {{ get; }} = {StringArray(kind.ShortNames)};");
        w.Line();
        w.Line("/// <summary>From <c>spec.names.categories</c>.</summary>");
        w.Line($"public static IReadOnlyList<string> Categories {{ get; }} = {StringArray(kind.Categories)};");
        w.Line();
        w.Line("/// <summary>This kind's names, validation and defaulting, as listed in <see cref=\"global::Kollect.Api.KollectKinds.All\"/>.</summary>");
        w.Line($"public static global::Kollect.Api.KollectKind Definition {{ get; }} = new global::Kollect.Api.KollectKind(Group, Version, KindName, Plural, Singular, ListKindName, ShortNames, Categories, Namespaced, typeof({kind.Kind}), typeof({kind.Kind}List), {kind.Kind}Schema.Validate, {kind.Kind}Schema.ApplyDefaults);");
        w.Line();
        w.Line("/// <summary>The object's <c>apiVersion</c>.</summary>");
        w.Line("[JsonPropertyName(\"apiVersion\")]");
        w.Line("public string ApiVersion { get; set; } = GroupVersion;");
        w.Line();
        w.Line("/// <summary>The object's <c>kind</c>.</summary>");
        w.Line("[JsonPropertyName(\"kind\")]");
        w.Line("public string Kind { get; set; } = KindName;");
        w.Line();
        w.Line("/// <summary>Standard object metadata.</summary>");
        w.Line("[JsonPropertyName(\"metadata\")]");
        w.Line("public global::Kollect.Api.ObjectMeta Metadata { get; set; } = new global::Kollect.Api.ObjectMeta();");
        foreach (var property in root.Properties.Where(p => !IsRootMetaProperty(p)))
        {
            w.Line();
            EmitProperty(w, property);
        }

        EmitExtensionData(w, root);
        EmitJsonNames(w, root);
        w.Close();
        w.Line();

        w.Line($"/// <summary>A list of {kind.Kind} objects, as returned by a list request.</summary>");
        w.Open($"public sealed partial class {kind.Kind}List");
        w.Line("/// <summary>The list's <c>apiVersion</c>.</summary>");
        w.Line("[JsonPropertyName(\"apiVersion\")]");
        w.Line($"public string ApiVersion {{ get; set; }} = {kind.Kind}.GroupVersion;");
        w.Line();
        w.Line("/// <summary>The list's <c>kind</c>.</summary>");
        w.Line("[JsonPropertyName(\"kind\")]");
        w.Line($"public string Kind {{ get; set; }} = {kind.Kind}.ListKindName;");
        w.Line();
        w.Line("/// <summary>Standard list metadata.</summary>");
        w.Line("[JsonPropertyName(\"metadata\")]");
        w.Line("public global::Kollect.Api.ListMeta Metadata { get; set; } = new global::Kollect.Api.ListMeta();");
        w.Line();
        w.Line("/// <summary>The objects.</summary>");
        w.Line("[JsonPropertyName(\"items\")]");
        w.Line($"public List<{kind.Kind}> Items {{ get; set; }} = new List<{kind.Kind}>();");
        w.Close();
    }

    public static bool IsRootMetaProperty(SchemaProperty property) => property.JsonName is "apiVersion" or "kind" or "metadata";

    /// <summary>Object and enum nodes that get a generated type, root excluded, in schema order.</summary>
    public static IEnumerable<SchemaNode> GeneratedTypes(SchemaNode root)
    {
        // Well-known nodes have hand-written types, so nothing at or below them is generated.
        return root.Properties
            .Where(p => !IsRootMetaProperty(p))
            .SelectMany(p => SchemaWalk.PreOrder(p.Schema, n => n.WellKnown == WellKnownType.None))
            .Where(n => n.WellKnown == WellKnownType.None
                && (n.Kind == SchemaKind.Object || (n.Kind == SchemaKind.String && n.EnumMembers.Count > 0)))
            .ToList();
    }

    public static void EmitType(SourceWriter w, SchemaNode node)
    {
        if (node.Kind == SchemaKind.Object)
        {
            EmitClass(w, node);
        }
        else
        {
            EmitEnum(w, node);
        }
    }

    private static void EmitClass(SourceWriter w, SchemaNode node)
    {
        w.Summary(node.Description ?? $"The object at {node.Pointer} of the CRD schema.");
        w.Open($"public sealed partial class {node.TypeName}");
        var first = true;
        foreach (var property in node.Properties)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            EmitProperty(w, property);
        }

        EmitExtensionData(w, node);
        EmitJsonNames(w, node);
        w.Close();
    }

    /// <summary>
    /// The JSON names of the properties as constants, so that code writing field paths (error
    /// messages, patches) spells no field name itself: a renamed field then fails its build.
    /// </summary>
    private static void EmitJsonNames(SourceWriter w, SchemaNode node)
    {
        if (node.Properties.Count == 0)
        {
            return;
        }

        w.Line();
        w.Line("/// <summary>The JSON name of each property, for field paths and patches.</summary>");
        w.Open("public static class JsonNames");
        foreach (var property in node.Properties)
        {
            w.Line($"/// <summary><c>{property.JsonName}</c></summary>");
            w.Line($"public const string {property.PropertyName} = {SourceWriter.Literal(property.JsonName)};");
        }

        w.Close();
    }

    private static void EmitExtensionData(SourceWriter w, SchemaNode node)
    {
        if (!node.PreserveUnknownFields)
        {
            return;
        }

        // x-kubernetes-preserve-unknown-fields keeps undeclared fields; so does the model.
        w.Line();
        w.Line("/// <summary>Fields the schema does not declare, kept because it preserves unknown fields.</summary>");
        w.Line("[JsonExtensionData]");
        w.Line("public Dictionary<string, JsonElement>? ExtensionData { get; set; }");
    }

    private static void EmitEnum(SourceWriter w, SchemaNode node)
    {
        w.Summary(node.Description ?? $"The values allowed at {node.Pointer} of the CRD schema.");
        w.Line($"[JsonConverter(typeof(JsonStringEnumConverter<{node.TypeName}>))]");
        w.Open($"public enum {node.TypeName}");
        foreach (var member in node.EnumMembers)
        {
            w.Line($"/// <summary>JSON value <c>{member.Value.Replace("&", "&amp;").Replace("<", "&lt;")}</c>.</summary>");
            w.Line($"[JsonStringEnumMemberName({SourceWriter.Literal(member.Value)})]");
            w.Line(member.MemberName + ",");
        }

        w.Close();
    }

    private static void EmitProperty(SourceWriter w, SchemaProperty property)
    {
        var schema = property.Schema;
        var description = schema.Description;
        if (schema.DefaultJson is not null)
        {
            description = (description is null ? string.Empty : description + "\n") + "Default (applied by ApplyDefaults): " + schema.DefaultJson;
        }

        w.Summary(description);
        w.Line($"[JsonPropertyName({SourceWriter.Literal(property.JsonName)})]");
        var nullable = !property.Required || schema.Nullable;
        if (schema.WellKnown == WellKnownType.None && schema.Kind == SchemaKind.String && schema.EnumMembers.Count == 0 && schema.Format == "date-time")
        {
            // Go's time.Time layout (RFC 3339, Z), not System.Text.Json's +00:00.
            w.Line("[JsonConverter(typeof(global::Kollect.Api.RfcTimeJsonConverter))]");
        }

        if (!property.Required)
        {
            w.Line(IgnoreWhenNull);
        }

        w.Line($"public {(property.Required ? "required " : string.Empty)}{TypeOf(schema)}{(nullable ? "?" : string.Empty)} {property.PropertyName} {{ get; set; }}");
    }

    /// <summary>The C# type of a node, without the nullable marker of the node itself.</summary>
    public static string TypeOf(SchemaNode node)
    {
        switch (node.WellKnown)
        {
            case WellKnownType.SinkReference:
                return "global::Kollect.Api.SinkReference";
            case WellKnownType.LabelSelector:
                return "global::Kollect.Api.LabelSelector";
            case WellKnownType.Condition:
                return "global::Kollect.Api.Condition";
            case WellKnownType.Duration:
                return "global::Kollect.Api.Duration";
        }

        return node.Kind switch
        {
            SchemaKind.Object => node.TypeName!,
            SchemaKind.Map => $"Dictionary<string, {ElementType(node.AdditionalProperties!)}>",
            SchemaKind.Array => $"List<{ElementType(node.Items!)}>",
            SchemaKind.String when node.EnumMembers.Count > 0 => node.TypeName!,
            SchemaKind.String when node.Format == "date-time" => "global::System.DateTimeOffset",
            SchemaKind.String => "string",
            SchemaKind.Integer when node.Format == "int32" => "int",
            SchemaKind.Integer => "long",
            SchemaKind.Number => "double",
            SchemaKind.Boolean => "bool",
            SchemaKind.IntOrString => "global::Kollect.Api.IntOrString",
            _ => "JsonElement",
        };
    }

    private static string ElementType(SchemaNode node) => TypeOf(node) + (node.Nullable ? "?" : string.Empty);

    private static string StringArray(EquatableArray<string> values) =>
        values.Count == 0 ? "global::System.Array.Empty<string>()" : "new string[] { " + string.Join(", ", values.Select(SourceWriter.Literal)) + " }";
}
