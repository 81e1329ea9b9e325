using System.Text.Json.Nodes;

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

    /// <summary>Compiles a <c>metav1.LabelSelector</c> object; null compiles to <see cref="Everything"/>.</summary>
    /// <exception cref="FormatException">The selector is malformed; the message names <paramref name="fieldPath"/>.</exception>
    public static LabelSelectorMatcher Compile(JsonNode? selector, string fieldPath) =>
        selector switch
        {
            null => Everything,
            JsonObject obj => Compile(obj["matchLabels"], obj["matchExpressions"], fieldPath),
            _ => throw new FormatException($"{fieldPath} must be an object with matchLabels and/or matchExpressions"),
        };

    /// <summary>Compiles separate <c>matchLabels</c> and <c>matchExpressions</c> fields (as in a resource rule).</summary>
    /// <exception cref="FormatException">A field is malformed; the message names its path.</exception>
    public static LabelSelectorMatcher Compile(JsonNode? matchLabels, JsonNode? matchExpressions, string fieldPath)
    {
        var labelList = new List<KeyValuePair<string, string>>();
        switch (matchLabels)
        {
            case null:
                break;
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    labelList.Add(new(key, ReadString(value, $"{fieldPath}.matchLabels[{key}]")));
                }
                break;
            default:
                throw new FormatException($"{fieldPath}.matchLabels must be a map of label keys to values");
        }

        var expressionList = new List<(string, string, HashSet<string>)>();
        switch (matchExpressions)
        {
            case null:
                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    expressionList.Add(CompileExpression(items[i], $"{fieldPath}.matchExpressions[{i}]"));
                }
                break;
            default:
                throw new FormatException($"{fieldPath}.matchExpressions must be a list of {{key, operator, values}}");
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

    private static (string, string, HashSet<string>) CompileExpression(JsonNode? node, string path)
    {
        if (node is not JsonObject expression)
        {
            throw new FormatException($"{path} must be an object with key, operator and values");
        }
        var key = ReadString(expression["key"], path + ".key");
        var op = ReadString(expression["operator"], path + ".operator");
        var values = new HashSet<string>(StringComparer.Ordinal);
        if (expression["values"] is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                values.Add(ReadString(list[i], $"{path}.values[{i}]"));
            }
        }
        else if (expression["values"] is not null)
        {
            throw new FormatException($"{path}.values must be a list of strings");
        }
        switch (op)
        {
            case "In" or "NotIn" when values.Count == 0:
                throw new FormatException($"{path}.values must not be empty when operator is {op}");
            case "Exists" or "DoesNotExist" when values.Count > 0:
                throw new FormatException($"{path}.values must be empty when operator is {op}");
            case "In" or "NotIn" or "Exists" or "DoesNotExist":
                return (key, op, values);
            default:
                throw new FormatException($"{path}.operator '{op}' is not one of In, NotIn, Exists, DoesNotExist");
        }
    }

    private static string ReadString(JsonNode? node, string path) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new FormatException($"{path} must be a string");
}
