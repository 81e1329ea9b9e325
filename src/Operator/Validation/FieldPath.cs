namespace Kollect.Operator.Validation;

/// <summary>
/// Field paths of problems (<c>spec.kafka.topic</c>) joined from the generated <c>JsonNames</c>
/// constants, so a renamed CRD field renames every path that names it (#10).
/// </summary>
public static class FieldPath
{
    public static string Of(params ReadOnlySpan<string> parts) => string.Join('.', parts);

    /// <summary>The path of one list item, <c>spec.namespaces[2]</c>.</summary>
    public static string Item(string list, int index) => $"{list}[{index}]";
}
