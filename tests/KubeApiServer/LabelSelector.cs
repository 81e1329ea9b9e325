using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// The <c>labelSelector</c> query language: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>,
/// <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c> (exists) and <c>!k</c>; requirements
/// separated by commas are ANDed.
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    private LabelSelector()
    {
    }

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var part in SplitTopLevel(text))
        {
            selector._requirements.Add(ParseRequirement(part.Trim(), text));
        }
        return selector;
    }

    /// <summary>True when the selector has no requirement (it matches every object).</summary>
    public bool IsEverything => _requirements.Count == 0;

    public bool Matches(JsonObject obj)
    {
        if (IsEverything)
        {
            return true;
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["metadata"]?["labels"] is JsonObject labelObject)
        {
            foreach (var (key, value) in labelObject)
            {
                labels[key] = value?.GetValue<string>() ?? "";
            }
        }
        return _requirements.All(r => r(labels));
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part, string whole)
    {
        if (part.Length == 0)
        {
            throw ApiError.BadRequest($"unable to parse requirement: empty requirement in label selector \"{whole}\"");
        }
        if (part.StartsWith('!'))
        {
            var key = part[1..].Trim();
            return labels => !labels.ContainsKey(key);
        }
        var setMatch = System.Text.RegularExpressions.Regex.Match(part, @"^(\S+)\s+(in|notin)\s*\((.*)\)$");
        if (setMatch.Success)
        {
            var key = setMatch.Groups[1].Value;
            var values = setMatch.Groups[3].Value.Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
            return setMatch.Groups[2].Value == "in"
                ? labels => labels.TryGetValue(key, out var v) && values.Contains(v)
                : labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var index = part.IndexOf(op, StringComparison.Ordinal);
            if (index > 0)
            {
                var key = part[..index].Trim();
                var value = part[(index + op.Length)..].Trim();
                return op == "!="
                    ? labels => !labels.TryGetValue(key, out var v) || v != value
                    : labels => labels.TryGetValue(key, out var v) && v == value;
            }
        }
        if (part.Any(c => char.IsWhiteSpace(c) || c == '(' || c == ')'))
        {
            throw ApiError.BadRequest($"unable to parse requirement: \"{part}\" in label selector \"{whole}\"");
        }
        return labels => labels.ContainsKey(part);
    }

    /// <summary>Splits on commas that are not inside an <c>in (…)</c> value list.</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }
}
