using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Kollect.Generators.Model;

namespace Kollect.Generators.Emitting;

/// <summary>
/// Emits schema validation as code: one method per object node that walks a <c>JsonElement</c>,
/// with the checks of scalar, array and map nodes inlined (no schema interpreter at run time).
/// Leaf checks and messages live in the hand-written <c>Kollect.Api.Schema.SchemaChecks</c>.
/// </summary>
internal sealed class ValidationEmitter
{
    private readonly KindModel _kind;
    private readonly Dictionary<string, string> _patterns = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, string> _stringArrays = new(System.StringComparer.Ordinal);

    public ValidationEmitter(KindModel kind) => _kind = kind;

    /// <summary>Object nodes with a validator method, root first, in schema order.</summary>
    public static IEnumerable<SchemaNode> ObjectNodes(SchemaNode root)
    {
        // Well-known nodes are walked too: their schema is still validated from the CRD.
        return SchemaWalk.PreOrder(root, _ => true).Where(n => n.Kind == SchemaKind.Object).ToList();
    }

    /// <summary>Writes the validator methods and returns the static fields they use (regexes, value lists).</summary>
    public SourceWriter EmitMethods()
    {
        var w = new SourceWriter();
        var nodes = ObjectNodes(_kind.Root).ToList();
        w.Line("/// <summary>Validates a whole object against the CRD schema.</summary>");
        w.Line("public static void Validate(JsonElement value, ICollection<FieldError> errors) =>");
        w.Line($"    Validate{_kind.Root.TypeName}(value, string.Empty, errors);");
        foreach (var node in nodes)
        {
            w.Line();
            EmitObjectMethod(w, node, isRoot: ReferenceEquals(node, _kind.Root));
        }

        return w;
    }

    public void EmitFields(SourceWriter w)
    {
        foreach (var pair in _patterns.OrderBy(p => p.Value, System.StringComparer.Ordinal))
        {
            w.Line($"private static readonly Regex {pair.Value} = new Regex({SourceWriter.Literal(pair.Key)}, RegexOptions.CultureInvariant);");
        }

        foreach (var pair in _stringArrays.OrderBy(p => p.Value, System.StringComparer.Ordinal))
        {
            w.Line($"private static readonly string[] {pair.Value} = new string[] {{ {pair.Key} }};");
        }

        if (_patterns.Count + _stringArrays.Count > 0)
        {
            w.Line();
        }
    }

    private void EmitObjectMethod(SourceWriter w, SchemaNode node, bool isRoot)
    {
        w.Open($"private static void Validate{node.TypeName}(JsonElement value, string path, ICollection<FieldError> errors)");
        w.Open("if (!SchemaChecks.IsType(value, \"object\", path, errors))");
        w.Line("return;");
        w.Close();
        w.Line();
        EmitCountChecks(w, node, "value", "path", "Properties");
        var required = node.Properties
            .Where(p => p.Required && !(isRoot && ModelEmitter.IsRootMetaProperty(p)))
            .Select(p => p.JsonName)
            .ToList();
        if (isRoot)
        {
            // A manifest without apiVersion and kind cannot be identified, whatever the schema says.
            required.InsertRange(0, new[] { "apiVersion", "kind" });
        }

        var flags = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var name in required)
        {
            var flag = "has" + flags.Count.ToString(CultureInfo.InvariantCulture);
            flags[name] = flag;
            w.Line($"var {flag} = false;");
        }

        if (isRoot)
        {
            w.Line("var hasMetadata = false;");
        }

        w.Open("foreach (var property in value.EnumerateObject())");
        w.Line("var child = property.Value;");
        w.Line("var childPath = SchemaChecks.Join(path, property.Name);");
        w.Open("switch (property.Name)");
        var handled = new HashSet<string>(System.StringComparer.Ordinal);
        if (isRoot)
        {
            EmitRootMetaCase(w, "apiVersion", flags, $"SchemaChecks.CheckConstant(child, {_kind.Kind}.GroupVersion, childPath, errors);");
            EmitRootMetaCase(w, "kind", flags, $"SchemaChecks.CheckConstant(child, {_kind.Kind}.KindName, childPath, errors);");
            w.Line("case \"metadata\":");
            w.Open();
            w.Line("hasMetadata = true;");
            w.Line("SchemaChecks.CheckObjectMeta(child, childPath, errors);");
            w.Line("break;");
            w.Close();
            handled.Add("apiVersion");
            handled.Add("kind");
            handled.Add("metadata");
        }

        foreach (var property in node.Properties.Where(p => !handled.Contains(p.JsonName)))
        {
            w.Line($"case {SourceWriter.Literal(property.JsonName)}:");
            w.Open();
            flags.TryGetValue(property.JsonName, out var flag);
            if (property.Schema.Nullable)
            {
                if (flag is not null)
                {
                    w.Line($"{flag} = true;");
                }

                w.Open("if (child.ValueKind != JsonValueKind.Null)");
                EmitChecks(w, property.Schema, "child", "childPath", 1);
                w.Close();
            }
            else
            {
                // kube-apiserver prunes a null that the schema does not allow, so it counts as absent.
                w.Open("if (child.ValueKind == JsonValueKind.Null)");
                w.Line("break;");
                w.Close();
                if (flag is not null)
                {
                    w.Line($"{flag} = true;");
                }

                EmitChecks(w, property.Schema, "child", "childPath", 1);
            }

            w.Line("break;");
            w.Close();
        }

        w.Line("default:");
        w.Open();
        if (!node.PreserveUnknownFields)
        {
            w.Line("errors.Add(new FieldError(childPath, SchemaChecks.UnknownField));");
        }

        w.Line("break;");
        w.Close();
        w.Close();
        w.Close();
        foreach (var pair in flags)
        {
            w.Line();
            w.Open($"if (!{pair.Value})");
            w.Line($"errors.Add(new FieldError(SchemaChecks.Join(path, {SourceWriter.Literal(pair.Key)}), SchemaChecks.RequiredValue));");
            w.Close();
        }

        if (isRoot)
        {
            w.Line();
            w.Open("if (!hasMetadata)");
            w.Line("errors.Add(new FieldError(SchemaChecks.Join(path, \"metadata.name\"), SchemaChecks.RequiredValue + \": name or generateName is required\"));");
            w.Close();
        }

        w.Close();
    }

    private static void EmitRootMetaCase(SourceWriter w, string name, Dictionary<string, string> flags, string check)
    {
        w.Line($"case \"{name}\":");
        w.Open();
        w.Line($"{flags[name]} = true;");
        w.Line(check);
        w.Line("break;");
        w.Close();
    }

    private void EmitChecks(SourceWriter w, SchemaNode node, string value, string path, int depth)
    {
        if (node.WellKnown == WellKnownType.SinkReference)
        {
            w.Line($"global::Kollect.Api.SinkReference.Validate({value}, {path}, errors);");
            return;
        }

        switch (node.Kind)
        {
            case SchemaKind.Object:
                w.Line($"Validate{node.TypeName}({value}, {path}, errors);");
                return;
            case SchemaKind.Any:
                return;
            case SchemaKind.IntOrString:
                w.Line($"SchemaChecks.CheckIntOrString({value}, {path}, errors);");
                return;
            case SchemaKind.Map:
                EmitMapChecks(w, node, value, path, depth);
                return;
            case SchemaKind.Array:
                EmitArrayChecks(w, node, value, path, depth);
                return;
        }

        var type = node.Kind switch
        {
            SchemaKind.String => "string",
            SchemaKind.Integer => "integer",
            SchemaKind.Number => "number",
            _ => "boolean",
        };
        var checks = ScalarChecks(node, value, path).ToList();
        if (checks.Count == 0)
        {
            w.Line($"SchemaChecks.IsType({value}, \"{type}\", {path}, errors);");
            return;
        }

        w.Open($"if (SchemaChecks.IsType({value}, \"{type}\", {path}, errors))");
        foreach (var check in checks)
        {
            w.Line(check);
        }

        w.Close();
    }

    private IEnumerable<string> ScalarChecks(SchemaNode node, string value, string path)
    {
        if (node.EnumJson.Count > 0)
        {
            yield return $"SchemaChecks.CheckEnum({value}, {StringArray(node.EnumJson, "Values")}, {path}, errors);";
        }

        if (node.Pattern is not null && node.Kind == SchemaKind.String)
        {
            yield return $"SchemaChecks.CheckPattern({value}, {Pattern(node.Pattern)}, {path}, errors);";
        }

        if (node.MinLength is { } minLength && node.Kind == SchemaKind.String)
        {
            yield return $"SchemaChecks.CheckMinLength({value}, {minLength.ToString(CultureInfo.InvariantCulture)}, {path}, errors);";
        }

        if (node.MaxLength is { } maxLength && node.Kind == SchemaKind.String)
        {
            yield return $"SchemaChecks.CheckMaxLength({value}, {maxLength.ToString(CultureInfo.InvariantCulture)}, {path}, errors);";
        }

        var numeric = node.Kind is SchemaKind.Integer or SchemaKind.Number;
        if (node.Minimum is { } minimum && numeric)
        {
            yield return $"SchemaChecks.CheckMinimum({value}, {SourceWriter.Literal(minimum)}, {(node.ExclusiveMinimum ? "true" : "false")}, {path}, errors);";
        }

        if (node.Maximum is { } maximum && numeric)
        {
            yield return $"SchemaChecks.CheckMaximum({value}, {SourceWriter.Literal(maximum)}, {(node.ExclusiveMaximum ? "true" : "false")}, {path}, errors);";
        }

        var checkedFormat = node.Kind == SchemaKind.String ? node.Format is "date-time" or "byte" : node.Format is "int32" or "int64";
        if (checkedFormat)
        {
            yield return $"SchemaChecks.CheckFormat({value}, {SourceWriter.Literal(node.Format!)}, {path}, errors);";
        }

        if (node.WellKnown == WellKnownType.Duration)
        {
            yield return $"SchemaChecks.CheckDuration({value}, {path}, errors);";
        }
    }

    private void EmitMapChecks(SourceWriter w, SchemaNode node, string value, string path, int depth)
    {
        var entry = "entry" + depth.ToString(CultureInfo.InvariantCulture);
        var entryPath = "path" + depth.ToString(CultureInfo.InvariantCulture);
        w.Open($"if (SchemaChecks.IsType({value}, \"object\", {path}, errors))");
        EmitCountChecks(w, node, value, path, "Properties");
        w.Open($"foreach (var {entry} in {value}.EnumerateObject())");
        w.Line($"var {entryPath} = SchemaChecks.Key({path}, {entry}.Name);");
        EmitElementChecks(w, node.AdditionalProperties!, entry + ".Value", entryPath, depth + 1);
        w.Close();
        w.Close();
    }

    private void EmitArrayChecks(SourceWriter w, SchemaNode node, string value, string path, int depth)
    {
        var suffix = depth.ToString(CultureInfo.InvariantCulture);
        w.Open($"if (SchemaChecks.IsType({value}, \"array\", {path}, errors))");
        EmitCountChecks(w, node, value, path, "Items");
        if (node.ListType == "set")
        {
            w.Line($"SchemaChecks.CheckSetUnique({value}, {path}, errors);");
        }
        else if (node.ListType == "map")
        {
            w.Line($"SchemaChecks.CheckMapUnique({value}, {StringArray(node.ListMapKeys, "Keys")}, {path}, errors);");
        }

        w.Line($"var index{suffix} = 0;");
        w.Open($"foreach (var item{suffix} in {value}.EnumerateArray())");
        w.Line($"var path{suffix} = SchemaChecks.Index({path}, index{suffix}++);");
        EmitElementChecks(w, node.Items!, "item" + suffix, "path" + suffix, depth + 1);
        w.Close();
        w.Close();
    }

    private void EmitElementChecks(SourceWriter w, SchemaNode node, string value, string path, int depth)
    {
        if (node.Nullable)
        {
            w.Open($"if ({value}.ValueKind != JsonValueKind.Null)");
            EmitChecks(w, node, value, path, depth);
            w.Close();
        }
        else
        {
            EmitChecks(w, node, value, path, depth);
        }
    }

    private static void EmitCountChecks(SourceWriter w, SchemaNode node, string value, string path, string noun)
    {
        var (min, max) = noun == "Items" ? (node.MinItems, node.MaxItems) : (node.MinProperties, node.MaxProperties);
        if (min is { } minimum)
        {
            w.Line($"SchemaChecks.CheckMin{noun}({value}, {minimum.ToString(CultureInfo.InvariantCulture)}, {path}, errors);");
        }

        if (max is { } maximum)
        {
            w.Line($"SchemaChecks.CheckMax{noun}({value}, {maximum.ToString(CultureInfo.InvariantCulture)}, {path}, errors);");
        }
    }

    private string Pattern(string pattern)
    {
        if (!_patterns.TryGetValue(pattern, out var name))
        {
            name = "Pattern" + _patterns.Count.ToString("D2", CultureInfo.InvariantCulture);
            _patterns[pattern] = name;
        }

        return name;
    }

    /// <summary>A shared static string array, emitted once per distinct content.</summary>
    private string StringArray(EquatableArray<string> values, string prefix)
    {
        var key = string.Join(", ", values.Select(SourceWriter.Literal));
        if (!_stringArrays.TryGetValue(key, out var name))
        {
            name = prefix + _stringArrays.Count.ToString("D2", CultureInfo.InvariantCulture);
            _stringArrays[key] = name;
        }

        return name;
    }
}
