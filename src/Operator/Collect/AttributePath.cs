using System.Text.Json;

namespace Kollect.Operator.Collect;

/// <summary>
/// A compiled attribute path (SPEC §3): a CEL expression when the text starts with
/// <c>cel:</c>, a kubectl JSONPath otherwise. Compile once per profile, evaluate per object.
/// </summary>
public sealed class AttributePath
{
    /// <summary>The prefix that selects CEL; the expression follows it.</summary>
    public const string CelPrefix = "cel:";

    private readonly JsonPathExpression? jsonPath;
    private readonly CelExpression? cel;

    private AttributePath(string text, JsonPathExpression? jsonPath, CelExpression? cel)
    {
        Text = text;
        this.jsonPath = jsonPath;
        this.cel = cel;
    }

    public string Text { get; }

    public bool IsCel => cel is not null;

    /// <summary>Compiles <paramref name="text"/>; throws <see cref="AttributePathSyntaxException"/> (positions count from the start of <paramref name="text"/>).</summary>
    public static AttributePath Compile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(CelPrefix, StringComparison.Ordinal))
        {
            return new AttributePath(text, JsonPathParser.Parse(text), null);
        }
        try
        {
            return new AttributePath(text, null, CelParser.Parse(text[CelPrefix.Length..]));
        }
        catch (AttributePathSyntaxException inner)
        {
            throw new AttributePathSyntaxException(inner.Position + CelPrefix.Length, inner.Problem);
        }
    }

    /// <summary>
    /// Evaluates the path on <paramref name="obj"/>. An absent field is null; an evaluation error
    /// (a JSONPath index out of range or on a non-list, a CEL runtime error) is a
    /// <see cref="PathValueKind.Error"/> value whose text says what failed without quoting data.
    /// </summary>
    public PathValue Evaluate(JsonElement obj) =>
        jsonPath is not null ? jsonPath.Evaluate(obj) : CelEvaluator.Evaluate(cel!, obj);
}
