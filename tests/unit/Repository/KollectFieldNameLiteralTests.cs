using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kollect.Tests.Unit.Crds;

namespace Kollect.Tests.Unit.Repository;

/// <summary>
/// No field name of a Kollect kind is spelled as a string literal in <c>src/Operator</c> (#10):
/// the operator reads Kollect objects through the generated models and writes field paths with
/// the generated <c>JsonNames</c> constants, so a CRD rename breaks its build instead of silently
/// misreading. A literal counts when it is a field name, or a dotted path (<c>spec.kafka.topic</c>)
/// containing one; a line that holds such a word with another meaning says so with
/// <see cref="NotAFieldMarker"/>.
/// </summary>
public sealed partial class KollectFieldNameLiteralTests
{
    /// <summary>
    /// Field names that every Kubernetes object or a Kubernetes well-known type has (ObjectMeta,
    /// Condition, LabelSelector, GroupVersionKind, watch events): the operator also reads them on
    /// objects that are not Kollect kinds, so they are not Kollect's to forbid.
    /// </summary>
    private static readonly HashSet<string> KubernetesNames = new(StringComparer.Ordinal)
    {
        "apiVersion", "kind", "metadata", "spec", "status", "name", "namespace", "labels", "annotations", "uid",
        "generation", "resourceVersion", "conditions", "type", "reason", "message", "lastTransitionTime",
        "observedGeneration", "matchLabels", "matchExpressions", "key", "operator", "values", "group", "version",
    };

    /// <summary>
    /// A line that ends with this comment holds a word that is also a Kollect field name but is
    /// something else (a label value, a librdkafka property); the comment says what it is.
    /// </summary>
    private const string NotAFieldMarker = "// not a Kollect field:";

    [Fact]
    public void No_kollect_field_name_is_a_string_literal_in_the_operator()
    {
        var names = KollectFieldNames();
        Assert.Contains("targetGVK", names);
        Assert.Contains("eventSinkRefs", names);
        var operatorRoot = Path.Combine(CrdTestFiles.RepositoryRoot, "src", "Operator");
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(operatorRoot, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(operatorRoot, file).Replace('\\', '/');
            if (relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                if (trimmed.StartsWith("//", StringComparison.Ordinal) || lines[i].Contains(NotAFieldMarker, StringComparison.Ordinal))
                {
                    continue;
                }
                foreach (Match literal in StringLiteral().Matches(lines[i]))
                {
                    // Holes of an interpolated string are code, not text.
                    var hits = FieldNamesIn(InterpolationHole().Replace(literal.Groups[1].Value, " "), names);
                    if (hits.Count > 0)
                    {
                        (found.TryGetValue(relative, out var list) ? list : found[relative] = []).Add($"{relative}:{i + 1}: {string.Join(", ", hits)}");
                    }
                }
            }
        }

        var problems = found.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f =>
            $"{f.Key}: {f.Value.Count} Kollect field names as string literals; read the generated model, write paths with <Type>.JsonNames " +
            $"(or, for a word that is something else, end the line with \"{NotAFieldMarker} <what it is>\"):\n    " + string.Join("\n    ", f.Value)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("targetGVK", "targetGVK")]
    [InlineData("spec.kafka.topic", "kafka, topic")]
    [InlineData("spec.attributes[", "attributes")]
    [InlineData("metadata.name", "")]
    [InlineData("the sink's topic does not exist", "")]
    [InlineData("kollect.dev/v1alpha1", "")]
    public void A_literal_counts_when_it_is_a_field_name_or_a_path_holding_one(string literal, string expected)
    {
        var names = new HashSet<string>(["targetGVK", "kafka", "topic", "attributes"], StringComparer.Ordinal);
        Assert.Equal(expected, string.Join(", ", FieldNamesIn(literal, names)));
    }

    private static List<string> FieldNamesIn(string literal, HashSet<string> names)
    {
        if (names.Contains(literal))
        {
            return [literal];
        }
        return DottedPath().Matches(literal)
            .SelectMany(path => Identifier().Matches(path.Value).Select(m => m.Value))
            .Where(names.Contains)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every property name in the CRD schemas, minus those Kubernetes owns.</summary>
    private static HashSet<string> KollectFieldNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonNode? node)
        {
            if (node is not JsonObject schema)
            {
                return;
            }
            if (schema["properties"] is JsonObject properties)
            {
                foreach (var (name, child) in properties)
                {
                    names.Add(name);
                    Walk(child);
                }
            }
            Walk(schema["items"]);
            Walk(schema["additionalProperties"]);
        }
        foreach (var crd in Directory.GetFiles(CrdTestFiles.CrdDirectory, "*.yaml"))
        {
            foreach (var version in YamlJson.LoadObject(crd)["spec"]?["versions"]?.AsArray() ?? [])
            {
                Walk(version?["schema"]?["openAPIV3Schema"]);
            }
        }
        names.ExceptWith(KubernetesNames);
        return names;
    }

    [GeneratedRegex("\"((?:[^\"\\\\\\n]|\\\\.)*)\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"[A-Za-z]+(?:\.[A-Za-z]+|\[\d*\]?)+")]
    private static partial Regex DottedPath();

    [GeneratedRegex(@"(?<!\{)\{[^{}]*\}")]
    private static partial Regex InterpolationHole();

    [GeneratedRegex("[A-Za-z]+")]
    private static partial Regex Identifier();
}
