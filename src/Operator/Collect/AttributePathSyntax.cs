namespace Kollect.Operator.Collect;

/// <summary>
/// Syntax check of one attribute path for <c>kollect validate</c> (SPEC §3, §8): unsupported
/// JSONPath or CEL is rejected before anything runs.
/// </summary>
public static class AttributePathSyntax
{
    /// <summary>
    /// Returns null when <paramref name="path"/> parses, otherwise a message such as
    /// <c>JSONPath '$.a..b' at position 3: not supported: recursive descent '..'; spell out each field</c>.
    /// The position is a 0-based offset into <paramref name="path"/> (including any <c>cel:</c> prefix).
    /// </summary>
    public static string? Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "path is empty: give a JSONPath such as '$.spec.replicas' or a CEL expression such as 'cel:size(object.spec.containers)'";
        }
        try
        {
            AttributePath.Compile(path);
            return null;
        }
        catch (AttributePathSyntaxException error)
        {
            var language = path.StartsWith(AttributePath.CelPrefix, StringComparison.Ordinal) ? "CEL expression" : "JSONPath";
            return $"{language} '{path}' {error.Message}";
        }
    }
}
