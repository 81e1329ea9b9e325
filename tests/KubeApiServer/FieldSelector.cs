using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// The <c>fieldSelector</c> query: <c>metadata.name</c> and <c>metadata.namespace</c> with
/// <c>=</c>, <c>==</c> or <c>!=</c>, the fields every resource supports.
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var notEqual = part.IndexOf("!=", StringComparison.Ordinal);
            var equal = part.IndexOf('=');
            if (equal <= 0)
            {
                throw ApiError.BadRequest($"invalid field selector \"{text}\": expected field=value");
            }
            var (field, value, isEqual) = notEqual > 0
                ? (part[..notEqual], part[(notEqual + 2)..], false)
                : (part[..equal], part[(equal + 1)..].TrimStart('='), true);
            if (field is not "metadata.name" and not "metadata.namespace")
            {
                throw ApiError.BadRequest($"field label not supported: {field}");
            }
            selector._terms.Add((field, value, isEqual));
        }
        return selector;
    }

    /// <summary>True when the selector has no term (it matches every object).</summary>
    public bool IsEverything => _terms.Count == 0;

    public bool Matches(JsonObject obj)
    {
        foreach (var (field, value, equal) in _terms)
        {
            var actual = field == "metadata.name"
                ? (string?)obj["metadata"]?["name"]
                : (string?)obj["metadata"]?["namespace"];
            if ((actual ?? "") == value != equal)
            {
                return false;
            }
        }
        return true;
    }
}
