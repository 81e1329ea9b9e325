namespace Kollect.Operator.Collect;

/// <summary>One step of a parsed JSONPath (SPEC §3 subset).</summary>
public abstract record JsonPathSegment
{
    private JsonPathSegment()
    {
    }

    /// <summary><c>.name</c>, <c>['name']</c> or <c>["name"]</c>: a key of an object.</summary>
    public sealed record Field(string Name) : JsonPathSegment;

    /// <summary><c>[n]</c>: an array element; negative counts from the end as kubectl does.</summary>
    public sealed record Index(int Value) : JsonPathSegment;

    /// <summary><c>.*</c>: every element of an array or every value of an object.</summary>
    public sealed record Wildcard : JsonPathSegment;

    /// <summary><c>[*]</c>: every element of an array; kubectl reads it as the slice <c>[:]</c>, so it fails on anything else.</summary>
    public sealed record AllElements : JsonPathSegment;

    /// <summary><c>[?(@.path op literal)]</c> or <c>[?(@.path)]</c>: array elements that satisfy the predicate.</summary>
    public sealed record Filter(IReadOnlyList<JsonPathSegment> Path, JsonPathComparison? Comparison, PathValue? Literal) : JsonPathSegment;
}
