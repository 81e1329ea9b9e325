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
    /// <summary>A CEL evaluation error (no such key, no such overload, …).</summary>
    Error,
}
