using System.Text.Json.Nodes;
using Kollect.Api;

namespace Kollect.Operator.Collect;

/// <summary>
/// A compiled Kubernetes label selector (<c>matchLabels</c> AND <c>matchExpressions</c> with
/// <c>In</c>, <c>NotIn</c>, <c>Exists</c>, <c>DoesNotExist</c>) evaluated against label maps
/// (SPEC §3 namespace and object filters). An absent or empty selector matches everything, as in
/// Kubernetes; <c>NotIn</c> and <c>DoesNotExist</c> match objects without the key.
/// </summary>
public sealed class LabelSelectorMatcher
{
    /// <summary>Matches every label map.</summary>
    public static readonly LabelSelectorMatcher Everything = new([], []);

    private readonly KeyValuePair<string, string>[] labels;
    private readonly (string Key, string Operator, HashSet<string> Values)[] expressions;

    private LabelSelectorMatcher(KeyValuePair<string, string>[] labels, (string, string, HashSet<string>)[] expressions)
    {
        this.labels = labels;
        this.expressions = expressions;
    }

    /// <summary>True when the selector has no requirement at all.</summary>
    public bool IsEmpty => labels.Length == 0 && expressions.Length == 0;

    /// <summary>Compiles a <c>metav1.LabelSelector</c>; null compiles to <see cref="Everything"/>.</summary>
    /// <exception cref="FormatException">The selector is malformed; the message names <paramref name="fieldPath"/>.</exception>
    public static LabelSelectorMatcher Compile(LabelSelector? selector, string fieldPath) =>
        selector is null
            ? Everything
            : Compile(selector.MatchLabels, selector.MatchExpressions?.Select(e => (e.Key, e.Operator, (IReadOnlyList<string>?)e.Values)).ToList(), fieldPath);

    /// <summary>Compiles separate <c>matchLabels</c> and <c>matchExpressions</c> (as in a resource rule), each a <c>metav1.LabelSelector</c> part.</summary>
    /// <exception cref="FormatException">An expression is malformed; the message names its path.</exception>
    public static LabelSelectorMatcher Compile(
        IReadOnlyDictionary<string, string>? matchLabels,
        IReadOnlyList<(string Key, string Operator, IReadOnlyList<string>? Values)>? matchExpressions,
        string fieldPath)
    {
        var labelList = matchLabels?.ToList() ?? [];
        var expressionList = new List<(string, string, HashSet<string>)>();
        for (var i = 0; i < (matchExpressions?.Count ?? 0); i++)
        {
            var (key, op, values) = matchExpressions![i];
            expressionList.Add(CompileExpression(key, op, values, $"{fieldPath}.{LabelSelectorField.MatchExpressions}[{i}]"));
        }
        return labelList.Count == 0 && expressionList.Count == 0 ? Everything : new LabelSelectorMatcher([.. labelList], [.. expressionList]);
    }

    /// <summary>Whether <paramref name="labelMap"/> satisfies every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labelMap)
    {
        ArgumentNullException.ThrowIfNull(labelMap);
        foreach (var (key, value) in labels)
        {
            if (!labelMap.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }
        foreach (var (key, op, values) in expressions)
        {
            var present = labelMap.TryGetValue(key, out var actual);
            var holds = op switch
            {
                "In" => present && values.Contains(actual!),
                "NotIn" => !present || !values.Contains(actual!),
                "Exists" => present,
                _ => !present,
            };
            if (!holds)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Reads a <c>metadata.labels</c> (or <c>annotations</c>) map; absent or malformed entries are skipped.</summary>
    public static Dictionary<string, string> ReadMap(JsonNode? map)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    result[key] = text;
                }
            }
        }
        return result;
    }

    private static (string, string, HashSet<string>) CompileExpression(string key, string op, IReadOnlyList<string>? values, string path)
    {
        var set = new HashSet<string>(values ?? [], StringComparer.Ordinal);
        var valuesPath = $"{path}.{LabelSelectorField.Values}";
        switch (op)
        {
            case "In" or "NotIn" when set.Count == 0:
                throw new FormatException($"{valuesPath} must not be empty when operator is {op}");
            case "Exists" or "DoesNotExist" when set.Count > 0:
                throw new FormatException($"{valuesPath} must be empty when operator is {op}");
            case "In" or "NotIn" or "Exists" or "DoesNotExist":
                return (key, op, set);
            default:
                throw new FormatException($"{path}.{LabelSelectorField.Operator} '{op}' is not one of In, NotIn, Exists, DoesNotExist");
        }
    }

    /// <summary>Field names of <c>metav1.LabelSelector</c> (a Kubernetes type, not a Kollect one).</summary>
    private static class LabelSelectorField
    {
        public const string MatchExpressions = "matchExpressions";
        public const string Operator = "operator";
        public const string Values = "values";
    }
}
