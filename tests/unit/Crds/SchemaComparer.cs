using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// Compares two OpenAPI v3 schemas keyword by keyword, recursing into <c>properties</c>,
/// <c>items</c> and <c>additionalProperties</c>. <c>description</c> is ignored everywhere (our prose is
/// our own, SPEC §2); <c>required</c> is compared as a set because its order carries no meaning.
/// Every other keyword (type, format, enum, default, bounds, nullable, x-kubernetes-*, …) must be equal.
/// </summary>
public static class SchemaComparer
{
    public static IReadOnlyList<SchemaDifference> Compare(JsonObject ours, JsonObject golden)
    {
        var differences = new List<SchemaDifference>();
        CompareNode(string.Empty, ours, golden, differences);
        return differences;
    }

    private static void CompareNode(string pointer, JsonObject ours, JsonObject golden, List<SchemaDifference> differences)
    {
        var keywords = ours.Select(p => p.Key).Union(golden.Select(p => p.Key)).Where(k => k != "description").Order(StringComparer.Ordinal);
        foreach (var keyword in keywords)
        {
            var inOurs = ours.TryGetPropertyValue(keyword, out var ourValue);
            var inGolden = golden.TryGetPropertyValue(keyword, out var goldenValue);
            if (!inGolden)
            {
                differences.Add(new(pointer, keyword, SchemaChange.Added, ourValue, null));
            }
            else if (!inOurs)
            {
                differences.Add(new(pointer, keyword, SchemaChange.Removed, null, goldenValue));
            }
            else if (keyword == "properties" && ourValue is JsonObject ourProperties && goldenValue is JsonObject goldenProperties)
            {
                CompareProperties(pointer, ourProperties, goldenProperties, differences);
            }
            else if (keyword is "items" or "additionalProperties" && ourValue is JsonObject ourChild && goldenValue is JsonObject goldenChild)
            {
                CompareNode($"{pointer}/{keyword}", ourChild, goldenChild, differences);
            }
            else if (keyword == "required" ? !SameSet(ourValue, goldenValue) : !JsonNode.DeepEquals(ourValue, goldenValue))
            {
                differences.Add(new(pointer, keyword, SchemaChange.Changed, ourValue, goldenValue));
            }
        }
    }

    private static void CompareProperties(string pointer, JsonObject ours, JsonObject golden, List<SchemaDifference> differences)
    {
        foreach (var name in ours.Select(p => p.Key).Union(golden.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            var child = $"{pointer}/properties/{JsonPointer.Escape(name)}";
            var ourChild = ours[name] as JsonObject;
            var goldenChild = golden[name] as JsonObject;
            if (goldenChild is null)
            {
                differences.Add(new(child, SchemaDifference.WholeNode, SchemaChange.Added, ours[name], null));
            }
            else if (ourChild is null)
            {
                differences.Add(new(child, SchemaDifference.WholeNode, SchemaChange.Removed, null, golden[name]));
            }
            else
            {
                CompareNode(child, ourChild, goldenChild, differences);
            }
        }
    }

    private static bool SameSet(JsonNode? ours, JsonNode? golden)
    {
        static string[]? Names(JsonNode? node) =>
            node is JsonArray array && array.All(e => e is JsonValue) ? array.Select(e => e!.ToJsonString()).Order(StringComparer.Ordinal).ToArray() : null;

        var ourNames = Names(ours);
        var goldenNames = Names(golden);
        return ourNames is not null && goldenNames is not null ? ourNames.SequenceEqual(goldenNames) : JsonNode.DeepEquals(ours, golden);
    }
}
