namespace Kollect.Operator.Collect;

/// <summary>The kinds of <see cref="PathValue"/>.</summary>
public enum PathValueKind
{
    Null,
    Bool,
    Int,
    Double,
    String,
    /// <summary>A list built by the evaluator (several JSONPath matches, a CEL list literal).</summary>
    List,
    /// <summary>An object or array taken unchanged from the input object.</summary>
    Json,
    /// <summary>An evaluation error: a JSONPath index out of range or on a non-list, a CEL runtime error (no such key, no such overload, …).</summary>
    Error,
}
