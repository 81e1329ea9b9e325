using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// Resolves an <c>additionalPrinterColumns[].jsonPath</c> (the simple kubectl JSONPath subset CRDs use:
/// <c>.a.b</c>, <c>[n]</c>, <c>[*]</c>, <c>[?(@.f=="v")]</c>) to the schema node it reads.
/// </summary>
public static partial class PrinterColumnPath
{
    // ObjectMeta is implicit in CRD schemas; these are the fields a column may read from it.
    private static readonly Dictionary<string, JsonObject> ObjectMetaFields = new(StringComparer.Ordinal)
    {
        ["name"] = new() { ["type"] = "string" },
        ["namespace"] = new() { ["type"] = "string" },
        ["uid"] = new() { ["type"] = "string" },
        ["generation"] = new() { ["type"] = "integer", ["format"] = "int64" },
        ["creationTimestamp"] = new() { ["type"] = "string", ["format"] = "date-time" },
        ["deletionTimestamp"] = new() { ["type"] = "string", ["format"] = "date-time" },
    };

    /// <summary>The schema node the path reads, or an explanation of the step that does not exist.</summary>
    public static (JsonObject? Node, string? Problem) Resolve(JsonObject root, string jsonPath)
    {
        if (!jsonPath.StartsWith('.'))
        {
            return (null, "must start with '.'");
        }

        var tokens = Token().Matches(jsonPath);
        if (string.Concat(tokens.Select(t => t.Value)) != jsonPath)
        {
            return (null, "is not in the supported JSONPath subset");
        }

        if (tokens[0].Groups["field"].Value == "metadata")
        {
            var field = tokens.Count == 2 ? tokens[1].Groups["field"].Value : string.Empty;
            return ObjectMetaFields.TryGetValue(field, out var meta)
                ? (meta, null)
                : (null, "reads metadata other than one of " + string.Join(", ", ObjectMetaFields.Keys));
        }

        JsonObject? node = root;
        foreach (Match token in tokens)
        {
            if (token.Groups["field"].Success)
            {
                node = node["properties"]?[token.Groups["field"].Value] as JsonObject;
                if (node is null)
                {
                    return (null, $"no schema field at '{token.Value}'");
                }
            }
            else
            {
                node = node["items"] as JsonObject;
                if (node is null)
                {
                    return (null, $"'{token.Value}' indexes something that is not an array");
                }

                if (token.Groups["filter"].Success && node["properties"]?[token.Groups["filter"].Value] is null)
                {
                    return (null, $"the filter field {token.Groups["filter"].Value} is not an item property");
                }
            }
        }

        return (node, null);
    }

    [GeneratedRegex("""\.(?<field>[A-Za-z0-9_-]+)|\[(?:\*|[0-9]+|\?\(@\.(?<filter>[A-Za-z0-9_]+)==(?:"[^"]*"|'[^']*')\))\]""")]
    private static partial Regex Token();
}
