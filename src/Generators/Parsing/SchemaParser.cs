using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Kollect.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Kollect.Generators.Parsing;

/// <summary>
/// Reads one version's <c>openAPIV3Schema</c> into <see cref="SchemaNode"/>s, names the types to
/// generate (from the path: <c>KollectEventSink</c> + <c>spec</c> + <c>kafka</c> →
/// <c>KollectEventSinkSpecKafka</c>; array items add <c>Item</c>, map values <c>Value</c>), and
/// reports what it cannot model. Well-known types come only from the CRD's annotation.
/// </summary>
internal sealed class SchemaParser
{
    /// <summary>Keywords with a meaning for models, validation or defaulting.</summary>
    private static readonly HashSet<string> ModelledKeywords = new(StringComparer.Ordinal)
    {
        "type", "format", "description", "properties", "required", "items", "additionalProperties",
        "enum", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
        "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "default", "nullable",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-list-type",
        "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
    };

    /// <summary>
    /// Keywords that carry no meaning for generated code: documentation, and CEL rules, which the
    /// API server evaluates and the semantic validator of <c>kollect validate</c> mirrors (SPEC §2).
    /// </summary>
    private static readonly HashSet<string> IgnoredKeywords = new(StringComparer.Ordinal)
    {
        "title", "example", "externalDocs", "x-kubernetes-validations",
    };

    private static readonly Dictionary<string, WellKnownType> WellKnownNames = new(StringComparer.Ordinal)
    {
        ["SinkReference"] = WellKnownType.SinkReference,
        ["LabelSelector"] = WellKnownType.LabelSelector,
        ["Condition"] = WellKnownType.Condition,
        ["Duration"] = WellKnownType.Duration,
    };

    private readonly ParseContext _context;
    private readonly string _documentPointer;
    private readonly IReadOnlyDictionary<string, WellKnownType> _wellKnown;
    private readonly HashSet<string> _resolvedWellKnown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _typeNames = new(StringComparer.Ordinal);
    private readonly CancellationToken _cancellationToken;

    public SchemaParser(ParseContext context, string documentPointer, IReadOnlyDictionary<string, WellKnownType> wellKnown, CancellationToken cancellationToken)
    {
        _context = context;
        _documentPointer = documentPointer;
        _wellKnown = wellKnown;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Every type name handed out, ordinal.</summary>
    public IEnumerable<string> TypeNames => _typeNames.Keys.OrderBy(name => name, StringComparer.Ordinal);

    /// <summary>Annotation pointers that matched no schema node.</summary>
    public IEnumerable<string> UnresolvedWellKnownPointers => _wellKnown.Keys.Where(pointer => !_resolvedWellKnown.Contains(pointer)).OrderBy(p => p, StringComparer.Ordinal);

    public static bool TryParseWellKnownName(string name, out WellKnownType type) => WellKnownNames.TryGetValue(name, out type);

    /// <summary>Parses the root schema; the kind's own name and its List/Schema companions are reserved.</summary>
    public SchemaNode ParseRoot(YamlNode node, string kind)
    {
        Reserve(kind + "List", "(the list type)");
        Reserve(kind + "Schema", "(the validator class)");
        return Parse(node, string.Empty, kind, isRoot: true);
    }

    private void Reserve(string name, string owner) => _typeNames[name] = owner;

    private string DocumentPointer(string pointer) => _documentPointer + pointer;

    private SchemaNode Parse(YamlNode node, string pointer, string nameHint, bool isRoot = false)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (node is not YamlMappingNode mapping)
        {
            _context.Report("KOLGEN004", node, DocumentPointer(pointer), "a schema must be a mapping");
            return new SchemaNode { Pointer = pointer, Kind = SchemaKind.Any };
        }

        var keywords = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var pair in mapping.Children)
        {
            var key = (pair.Key as YamlScalarNode)?.Value ?? string.Empty;
            if (ModelledKeywords.Contains(key))
            {
                keywords[key] = pair.Value;
            }
            else if (!IgnoredKeywords.Contains(key))
            {
                _context.Report("KOLGEN004", pair.Key, DocumentPointer(pointer + "/" + Naming.EscapePointerToken(key)), $"the keyword '{key}' is not supported by the generator; express the schema with type, properties, items and additionalProperties");
            }
        }

        var type = Scalar(keywords, "type");
        var format = Scalar(keywords, "format");
        var preserveUnknown = Bool(keywords, "x-kubernetes-preserve-unknown-fields");
        var intOrString = Bool(keywords, "x-kubernetes-int-or-string");
        var wellKnown = WellKnownType.None;
        if (_wellKnown.TryGetValue(pointer, out var annotated))
        {
            _resolvedWellKnown.Add(pointer);
            wellKnown = CheckWellKnownShape(annotated, type, preserveUnknown, mapping, pointer);
        }

        var result = new SchemaNode
        {
            Pointer = pointer,
            WellKnown = wellKnown,
            Format = format,
            Description = Scalar(keywords, "description"),
            Pattern = Scalar(keywords, "pattern"),
            Minimum = Number(keywords, "minimum", pointer),
            Maximum = Number(keywords, "maximum", pointer),
            ExclusiveMinimum = Bool(keywords, "exclusiveMinimum"),
            ExclusiveMaximum = Bool(keywords, "exclusiveMaximum"),
            MinLength = Integer(keywords, "minLength", pointer),
            MaxLength = Integer(keywords, "maxLength", pointer),
            MinItems = Integer(keywords, "minItems", pointer),
            MaxItems = Integer(keywords, "maxItems", pointer),
            MinProperties = Integer(keywords, "minProperties", pointer),
            MaxProperties = Integer(keywords, "maxProperties", pointer),
            Nullable = Bool(keywords, "nullable"),
            PreserveUnknownFields = preserveUnknown,
            ListType = Scalar(keywords, "x-kubernetes-list-type"),
            ListMapKeys = Strings(keywords, "x-kubernetes-list-map-keys").ToEquatableArray(),
            DefaultJson = keywords.TryGetValue("default", out var defaultNode) ? YamlJson.ToJson(defaultNode, type) : null,
            EnumJson = keywords.TryGetValue("enum", out var enumNode) && enumNode is YamlSequenceNode enumValues
                ? enumValues.Children.Select(value => YamlJson.ToJson(value, type)).ToEquatableArray()
                : EquatableArray<string>.Empty,
        };

        if (intOrString)
        {
            return result with { Kind = SchemaKind.IntOrString };
        }

        switch (type)
        {
            case null when preserveUnknown:
                return result with { Kind = SchemaKind.Any };
            case null:
                _context.Report("KOLGEN003", mapping, DocumentPointer(pointer), "the node has no 'type'; declare one, or mark it x-kubernetes-preserve-unknown-fields: true or x-kubernetes-int-or-string: true");
                return result with { Kind = SchemaKind.Any };
            case "object":
                return ParseObject(result, keywords, mapping, pointer, nameHint, isRoot);
            case "array":
                return ParseArray(result, keywords, mapping, pointer, nameHint);
            case "string":
                return ParseString(result, keywords, pointer, nameHint);
            case "integer":
                return result with { Kind = SchemaKind.Integer };
            case "number":
                return result with { Kind = SchemaKind.Number };
            case "boolean":
                return result with { Kind = SchemaKind.Boolean };
            default:
                _context.Report("KOLGEN003", keywords["type"], DocumentPointer(pointer + "/type"), $"'{type}' is not one of object, array, string, integer, number, boolean");
                return result with { Kind = SchemaKind.Any };
        }
    }

    private SchemaNode ParseObject(SchemaNode result, Dictionary<string, YamlNode> keywords, YamlMappingNode mapping, string pointer, string nameHint, bool isRoot)
    {
        var hasProperties = keywords.TryGetValue("properties", out var propertiesNode);
        if (keywords.TryGetValue("additionalProperties", out var additionalNode))
        {
            if (hasProperties)
            {
                _context.Report("KOLGEN004", additionalNode, DocumentPointer(pointer + "/additionalProperties"), "properties and additionalProperties cannot be combined (Kubernetes structural schemas forbid it)");
            }
            else if (additionalNode is YamlScalarNode flag)
            {
                if (flag.Value == "false")
                {
                    return NameObject(result with { Kind = SchemaKind.Object }, mapping, pointer, nameHint);
                }

                return result with { Kind = SchemaKind.Map, AdditionalProperties = new SchemaNode { Pointer = pointer + "/additionalProperties", Kind = SchemaKind.Any } };
            }
            else
            {
                var valueSchema = Parse(additionalNode, pointer + "/additionalProperties", nameHint + "Value");
                return result with { Kind = SchemaKind.Map, AdditionalProperties = valueSchema };
            }
        }

        if (!hasProperties && result.PreserveUnknownFields)
        {
            return result with { Kind = SchemaKind.Any };
        }

        var required = new HashSet<string>(Strings(keywords, "required"), StringComparer.Ordinal);
        var properties = new List<SchemaProperty>();
        var propertyNames = new Dictionary<string, string>(StringComparer.Ordinal);
        if (propertiesNode is YamlMappingNode declared)
        {
            foreach (var pair in declared.Children.OrderBy(p => (p.Key as YamlScalarNode)?.Value, StringComparer.Ordinal))
            {
                var jsonName = (pair.Key as YamlScalarNode)?.Value ?? string.Empty;
                var childPointer = pointer + "/properties/" + Naming.EscapePointerToken(jsonName);
                var propertyName = Naming.ToPascal(jsonName);
                if (isRoot && jsonName is "apiVersion" or "kind" or "metadata")
                {
                    // Modelled by hand-written members of every root type (apiVersion, kind, ObjectMeta).
                    properties.Add(new SchemaProperty(jsonName, propertyName, required.Contains(jsonName), new SchemaNode { Pointer = childPointer, Kind = SchemaKind.Any }));
                    continue;
                }

                if (propertyName.Length == 0)
                {
                    _context.Report("KOLGEN005", pair.Key, DocumentPointer(childPointer), $"the property name '{jsonName}' gives no C# identifier; use letters or digits");
                    continue;
                }

                if (propertyNames.TryGetValue(propertyName, out var other))
                {
                    _context.Report("KOLGEN005", pair.Key, DocumentPointer(childPointer), $"the properties '{other}' and '{jsonName}' both become the C# property '{propertyName}'; rename one");
                    continue;
                }

                propertyNames[propertyName] = jsonName;
                var child = Parse(pair.Value, childPointer, nameHint + propertyName);
                properties.Add(new SchemaProperty(jsonName, propertyName, required.Contains(jsonName), child));
            }
        }
        else if (hasProperties)
        {
            _context.Report("KOLGEN004", propertiesNode, DocumentPointer(pointer + "/properties"), "'properties' must be a mapping");
        }

        foreach (var name in required.OrderBy(n => n, StringComparer.Ordinal))
        {
            if (!propertyNames.ContainsValue(name) && !(isRoot && name is "apiVersion" or "kind" or "metadata"))
            {
                _context.Report("KOLGEN004", keywords["required"], DocumentPointer(pointer + "/required"), $"'{name}' is required but not declared under properties");
            }
        }

        return NameObject(result with { Kind = SchemaKind.Object, Properties = properties.ToEquatableArray() }, mapping, pointer, nameHint);
    }

    private SchemaNode NameObject(SchemaNode node, YamlNode yaml, string pointer, string nameHint)
    {
        foreach (var property in node.Properties)
        {
            if (property.PropertyName == nameHint)
            {
                _context.Report("KOLGEN005", yaml, DocumentPointer(pointer + "/properties/" + Naming.EscapePointerToken(property.JsonName)), $"the property '{property.JsonName}' would have the same C# name as its type '{nameHint}'; rename it");
            }
        }

        return node with { TypeName = Register(nameHint, yaml, pointer) };
    }

    private SchemaNode ParseArray(SchemaNode result, Dictionary<string, YamlNode> keywords, YamlMappingNode mapping, string pointer, string nameHint)
    {
        if (!keywords.TryGetValue("items", out var itemsNode))
        {
            _context.Report("KOLGEN003", mapping, DocumentPointer(pointer), "an array needs an 'items' schema");
            return result with { Kind = SchemaKind.Array, Items = new SchemaNode { Pointer = pointer + "/items", Kind = SchemaKind.Any } };
        }

        var items = Parse(itemsNode, pointer + "/items", nameHint + "Item");
        if (result.ListType == "map" && result.ListMapKeys.Count == 0)
        {
            _context.Report("KOLGEN004", mapping, DocumentPointer(pointer), "x-kubernetes-list-type: map needs x-kubernetes-list-map-keys");
        }

        return result with { Kind = SchemaKind.Array, Items = items };
    }

    private SchemaNode ParseString(SchemaNode result, Dictionary<string, YamlNode> keywords, string pointer, string nameHint)
    {
        result = result with { Kind = SchemaKind.String };
        if (result.EnumJson.Count == 0 || result.WellKnown != WellKnownType.None)
        {
            return result;
        }

        var members = new List<EnumMember>();
        var memberNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var enumNode = (YamlSequenceNode)keywords["enum"];
        foreach (var valueNode in enumNode.Children)
        {
            var value = (valueNode as YamlScalarNode)?.Value ?? string.Empty;
            var memberName = Naming.ToPascal(value);
            if (memberName.Length == 0)
            {
                _context.Report("KOLGEN005", valueNode, DocumentPointer(pointer + "/enum"), $"the enum value '{value}' gives no C# identifier");
                continue;
            }

            if (memberNames.TryGetValue(memberName, out var other))
            {
                _context.Report("KOLGEN005", valueNode, DocumentPointer(pointer + "/enum"), $"the enum values '{other}' and '{value}' both become the C# member '{memberName}'");
                continue;
            }

            memberNames[memberName] = value;
            members.Add(new EnumMember(memberName, value));
        }

        return result with { EnumMembers = members.ToEquatableArray(), TypeName = Register(nameHint, enumNode, pointer) };
    }

    private string Register(string name, YamlNode node, string pointer)
    {
        if (_typeNames.TryGetValue(name, out var owner))
        {
            _context.Report("KOLGEN005", node, DocumentPointer(pointer), $"the generated type name '{name}' is already used by {owner}; rename a property so the paths differ");
            return name;
        }

        _typeNames[name] = "'" + DocumentPointer(pointer) + "'";
        return name;
    }

    private WellKnownType CheckWellKnownShape(WellKnownType type, string? schemaType, bool preserveUnknown, YamlMappingNode node, string pointer)
    {
        var ok = type switch
        {
            WellKnownType.SinkReference => schemaType is null && preserveUnknown,
            WellKnownType.LabelSelector => schemaType == "object",
            WellKnownType.Condition => schemaType == "object",
            WellKnownType.Duration => schemaType == "string",
            _ => false,
        };
        if (ok)
        {
            return type;
        }

        var expected = type switch
        {
            WellKnownType.SinkReference => "a node without 'type' marked x-kubernetes-preserve-unknown-fields: true",
            WellKnownType.Duration => "type: string",
            _ => "type: object",
        };
        _context.Report("KOLGEN006", node, pointer, $"{type} needs {expected}, found type '{schemaType ?? "(none)"}'");
        return WellKnownType.None;
    }

    private static string? Scalar(Dictionary<string, YamlNode> keywords, string key) =>
        keywords.TryGetValue(key, out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    private static bool Bool(Dictionary<string, YamlNode> keywords, string key) =>
        string.Equals(Scalar(keywords, key), "true", StringComparison.OrdinalIgnoreCase);

    private double? Number(Dictionary<string, YamlNode> keywords, string key, string pointer)
    {
        var text = Scalar(keywords, key);
        if (text is null)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        _context.Report("KOLGEN004", keywords[key], DocumentPointer(pointer + "/" + key), $"'{text}' is not a number");
        return null;
    }

    private int? Integer(Dictionary<string, YamlNode> keywords, string key, string pointer)
    {
        var text = Scalar(keywords, key);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        _context.Report("KOLGEN004", keywords[key], DocumentPointer(pointer + "/" + key), $"'{text}' is not a non-negative integer");
        return null;
    }

    private static IEnumerable<string> Strings(Dictionary<string, YamlNode> keywords, string key) =>
        keywords.TryGetValue(key, out var node) && node is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty)
            : Enumerable.Empty<string>();
}
