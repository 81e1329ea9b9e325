using System.Text.Json;

namespace Kollect.Operator.Collect;

/// <summary>A parsed JSONPath (see <see cref="JsonPathParser"/>), evaluated with <see cref="JsonPathEvaluator"/>.</summary>
public sealed class JsonPathExpression
{
    public JsonPathExpression(string text, IReadOnlyList<JsonPathSegment> segments)
    {
        Text = text;
        Segments = segments;
    }

    public string Text { get; }
    public IReadOnlyList<JsonPathSegment> Segments { get; }

    /// <summary>SPEC §3 result rule: no match ⇒ null; exactly one ⇒ that value (even for <c>[*]</c>); several ⇒ a list.</summary>
    public PathValue Evaluate(JsonElement root) => JsonPathEvaluator.Evaluate(this, root);
}
