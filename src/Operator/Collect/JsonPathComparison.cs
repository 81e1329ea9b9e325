namespace Kollect.Operator.Collect;

/// <summary>Comparison operators accepted in a JSONPath filter.</summary>
public enum JsonPathComparison
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}
