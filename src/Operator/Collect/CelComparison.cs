namespace Kollect.Operator.Collect;

/// <summary>CEL comparison operators of the supported subset.</summary>
public enum CelComparison
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
