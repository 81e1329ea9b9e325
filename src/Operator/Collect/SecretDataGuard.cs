using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// The Secret data guard of SPEC §3 (issue #12): an attribute path that can read a core v1
/// Secret's <c>data</c> or <c>stringData</c> may be collected only from a profile annotated
/// <c>kollect.dev/allow-secret-extraction: "true"</c>. Metadata-only paths (labels, annotations,
/// <c>type</c>) need no annotation. Used by the semantic rule that <c>kollect validate</c> and the
/// operator share (<c>SecretDataRule</c>) and by the collection engine, which refuses to collect
/// with such a profile.
/// </summary>
public static class SecretDataGuard
{
    /// <summary>The profile annotation that allows reading Secret data.</summary>
    public const string AllowAnnotation = "kollect.dev/allow-secret-extraction";

    private static readonly string[] DataFields = ["data", "stringData"];

    /// <summary>Core v1 Secret.</summary>
    public static bool IsSecret(GroupVersionKind gvk) => gvk is { Group: "", Version: "v1", Kind: "Secret" };

    /// <summary>Whether the profile's annotation value allows reading Secret data (exactly <c>"true"</c>).</summary>
    public static bool Allows(string? annotationValue) => annotationValue == "true";

    /// <summary>
    /// Whether <paramref name="path"/> can read <c>data</c> or <c>stringData</c> of the object: a
    /// JSONPath whose first step is one of those fields, the whole object (<c>$</c>) or all of its
    /// values (<c>$.*</c>); a CEL expression that mentions <c>object.data</c> or
    /// <c>object.stringData</c> (also as <c>object['data']</c> or inside <c>has()</c>), indexes
    /// <c>object</c> with a computed key, or uses <c>object</c> whole. A path that does not parse
    /// reads nothing (its syntax error is reported on its own).
    /// </summary>
    public static bool ReadsSecretData(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (path.StartsWith(AttributePath.CelPrefix, StringComparison.Ordinal))
            {
                return ReadsData(CelParser.Parse(path[AttributePath.CelPrefix.Length..]));
            }
            var segments = JsonPathParser.Parse(path).Segments;
            return segments.Count == 0 || segments[0] switch
            {
                JsonPathSegment.Field field => IsDataField(field.Name),
                JsonPathSegment.Wildcard => true,
                _ => false,
            };
        }
        catch (AttributePathSyntaxException)
        {
            return false;
        }
    }

    /// <summary>What to tell a person whose profile reads Secret data without the annotation.</summary>
    public static string Explanation(string path) =>
        $"reads Secret data ('{path}' can return data or stringData); read only metadata (labels, annotations, type), "
        + $"or annotate the KollectProfile {AllowAnnotation}: \"true\" to extract Secret values on purpose";

    private static bool IsDataField(string name) => DataFields.Contains(name, StringComparer.Ordinal);

    private static bool ReadsData(CelExpression expression) => expression switch
    {
        CelExpression.ObjectVariable => true,
        CelExpression.Select { Operand: CelExpression.ObjectVariable } select => IsDataField(select.Field),
        CelExpression.Index { Operand: CelExpression.ObjectVariable } index =>
            index.Key is not CelExpression.Literal { Value.Kind: PathValueKind.String } key || IsDataField(key.Value.String!) || ReadsData(index.Key),
        CelExpression.Has has => ReadsData(has.Target),
        CelExpression.Select select => ReadsData(select.Operand),
        CelExpression.Index index => ReadsData(index.Operand) || ReadsData(index.Key),
        CelExpression.Call call => (call.Target is not null && ReadsData(call.Target)) || call.Arguments.Any(ReadsData),
        CelExpression.Not not => ReadsData(not.Operand),
        CelExpression.Negate negate => ReadsData(negate.Operand),
        CelExpression.And and => ReadsData(and.Left) || ReadsData(and.Right),
        CelExpression.Or or => ReadsData(or.Left) || ReadsData(or.Right),
        CelExpression.Compare compare => ReadsData(compare.Left) || ReadsData(compare.Right),
        CelExpression.In membership => ReadsData(membership.Element) || ReadsData(membership.Collection),
        CelExpression.Conditional conditional => ReadsData(conditional.Condition) || ReadsData(conditional.WhenTrue) || ReadsData(conditional.WhenFalse),
        CelExpression.ListLiteral list => list.Items.Any(ReadsData),
        _ => false,
    };
}
