namespace Kollect.Operator.Collect;

/// <summary>Syntax tree of the CEL subset (SPEC §3); <see cref="Position"/> is the node's offset in the expression.</summary>
public abstract record CelExpression(int Position)
{
    /// <summary>A literal: int, double, string, bool or null.</summary>
    public sealed record Literal(int Position, PathValue Value) : CelExpression(Position);

    /// <summary>The variable <c>object</c>, the collected resource.</summary>
    public sealed record ObjectVariable(int Position) : CelExpression(Position);

    /// <summary><c>operand.field</c>.</summary>
    public sealed record Select(int Position, CelExpression Operand, string Field) : CelExpression(Position);

    /// <summary><c>operand[key]</c>: list index or map key.</summary>
    public sealed record Index(int Position, CelExpression Operand, CelExpression Key) : CelExpression(Position);

    /// <summary><c>has(operand.field)</c>: whether the map has the key.</summary>
    public sealed record Has(int Position, Select Target) : CelExpression(Position);

    /// <summary>A function (<c>size(x)</c>) or method (<c>x.size()</c>, <c>s.startsWith(p)</c>) call; <see cref="Target"/> is null for the function form.</summary>
    public sealed record Call(int Position, string Function, CelExpression? Target, IReadOnlyList<CelExpression> Arguments) : CelExpression(Position);

    /// <summary><c>!operand</c>.</summary>
    public sealed record Not(int Position, CelExpression Operand) : CelExpression(Position);

    /// <summary><c>-operand</c>.</summary>
    public sealed record Negate(int Position, CelExpression Operand) : CelExpression(Position);

    /// <summary><c>left &amp;&amp; right</c>.</summary>
    public sealed record And(int Position, CelExpression Left, CelExpression Right) : CelExpression(Position);

    /// <summary><c>left || right</c>.</summary>
    public sealed record Or(int Position, CelExpression Left, CelExpression Right) : CelExpression(Position);

    /// <summary><c>left op right</c> with <c>== != &lt; &lt;= &gt; &gt;=</c>.</summary>
    public sealed record Compare(int Position, CelComparison Operator, CelExpression Left, CelExpression Right) : CelExpression(Position);

    /// <summary><c>element in collection</c> (list membership or map key).</summary>
    public sealed record In(int Position, CelExpression Element, CelExpression Collection) : CelExpression(Position);

    /// <summary><c>condition ? whenTrue : whenFalse</c>.</summary>
    public sealed record Conditional(int Position, CelExpression Condition, CelExpression WhenTrue, CelExpression WhenFalse) : CelExpression(Position);

    /// <summary><c>[a, b, …]</c>.</summary>
    public sealed record ListLiteral(int Position, IReadOnlyList<CelExpression> Items) : CelExpression(Position);
}
