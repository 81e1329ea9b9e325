using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// The code-generation hints a CRD carries in its <c>codegen.kollect.dev/well-known-types</c> annotation:
/// JSON pointers (relative to <c>openAPIV3Schema</c>) of nodes the generator maps to hand-written types,
/// and how to find every such node in a schema so the annotation can be checked for completeness.
/// </summary>
public static class WellKnownTypes
{
    public const string SinkReference = "SinkReference";
    public const string LabelSelector = "LabelSelector";
    public const string Condition = "Condition";
    public const string Duration = "Duration";

    public static IReadOnlySet<string> Names { get; } = new HashSet<string> { SinkReference, LabelSelector, Condition, Duration };

    /// <summary>Fields that hold a Go duration string (SPEC §2.1–§2.3: exportMinInterval).</summary>
    public static IReadOnlySet<string> DurationFields { get; } = new HashSet<string> { "exportMinInterval" };

    public static Dictionary<string, string> Parse(string annotation)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (pointer, value) in JsonNode.Parse(annotation)!.AsObject())
        {
            result.Add(pointer, value!.GetValue<string>());
        }

        return result;
    }

    /// <summary>Every node of <paramref name="schema"/> that should be listed, with its well-known type.</summary>
    public static SortedDictionary<string, string> Find(JsonObject schema)
    {
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(schema, string.Empty, found);
        return found;
    }

    /// <summary>Why <paramref name="node"/> does not have the shape of <paramref name="type"/>, or null when it does.</summary>
    public static string? ShapeProblem(string pointer, string type, JsonObject node) => type switch
    {
        SinkReference when !IsTrue(node, "x-kubernetes-preserve-unknown-fields") || node.ContainsKey("type") || !pointer.EndsWith("/items", StringComparison.Ordinal) =>
            "a SinkReference is an array item without a type that preserves unknown fields (string or object)",
        LabelSelector when !IsLabelSelector(node) =>
            "a LabelSelector is an object with exactly matchLabels (string map) and matchExpressions (array)",
        Condition when !IsCondition(node) || !pointer.EndsWith("/conditions/items", StringComparison.Ordinal) =>
            "a Condition is the item object of a conditions list with required type, status, lastTransitionTime, reason and message",
        Duration when (node["type"] as JsonValue)?.GetValue<string>() != "string" =>
            "a Duration is a string",
        SinkReference or LabelSelector or Condition or Duration => null,
        _ => $"{type} is not a well-known type ({string.Join(", ", Names.Order(StringComparer.Ordinal))})",
    };

    private static void Walk(JsonObject node, string pointer, SortedDictionary<string, string> found)
    {
        if (node["properties"] is JsonObject properties)
        {
            foreach (var (name, value) in properties)
            {
                if (value is not JsonObject child)
                {
                    continue;
                }

                var childPointer = $"{pointer}/properties/{JsonPointer.Escape(name)}";
                if (name == "conditions" && child["items"] is JsonObject)
                {
                    found[childPointer + "/items"] = Condition;
                }
                else if (name.EndsWith("SinkRefs", StringComparison.Ordinal) && child["items"] is JsonObject)
                {
                    found[childPointer + "/items"] = SinkReference;
                }
                else if (DurationFields.Contains(name))
                {
                    found[childPointer] = Duration;
                }
                else if (IsLabelSelector(child))
                {
                    found[childPointer] = LabelSelector;
                }

                Walk(child, childPointer, found);
            }
        }

        if (node["items"] is JsonObject items)
        {
            Walk(items, pointer + "/items", found);
        }

        if (node["additionalProperties"] is JsonObject additional)
        {
            Walk(additional, pointer + "/additionalProperties", found);
        }
    }

    private static bool IsLabelSelector(JsonObject node) =>
        node["properties"] is JsonObject { Count: 2 } properties
        && properties["matchLabels"] is JsonObject labels
        && labels["additionalProperties"]?["type"]?.GetValue<string>() == "string"
        && properties["matchExpressions"]?["type"]?.GetValue<string>() == "array"
        && node["type"]?.GetValue<string>() == "object";

    private static bool IsCondition(JsonObject node)
    {
        var required = (node["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        return node["type"]?.GetValue<string>() == "object"
            && required.SetEquals(["type", "status", "lastTransitionTime", "reason", "message"])
            && node["properties"]?["status"]?["enum"] is JsonArray;
    }

    private static bool IsTrue(JsonObject node, string keyword) => node[keyword] is JsonValue value && value.GetValueKind() == JsonValueKind.True;
}
