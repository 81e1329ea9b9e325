namespace Kollect.Operator.Collect;

/// <summary>
/// A JSONPath or CEL attribute path that does not parse (SPEC §3). The message names the
/// position (0-based, in the text after any <c>cel:</c> prefix), what was expected or which
/// construct is not supported, so <c>kollect validate</c> can print it as is.
/// </summary>
public sealed class AttributePathSyntaxException : Exception
{
    public AttributePathSyntaxException(int position, string problem)
        : base($"at position {position}: {problem}")
    {
        Position = position;
        Problem = problem;
    }

    /// <summary>0-based character offset of the problem.</summary>
    public int Position { get; }

    /// <summary>The problem without the position prefix.</summary>
    public string Problem { get; }
}
