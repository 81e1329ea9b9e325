namespace Kollect.Operator.Kube;

// Ours: part of the request code KubernetesClient.Aot lacks at our binary size (see KubeClient.cs).
/// <summary>
/// Formats a <c>metav1.LabelSelector</c> (matchLabels + matchExpressions) as the
/// <c>labelSelector</c> query string the API server parses. Deterministic: keys in ordinal order.
/// </summary>
public static class LabelSelectorFormatter
{
    public static string Format(
        IReadOnlyDictionary<string, string>? matchLabels,
        IReadOnlyList<(string Key, string Operator, IReadOnlyList<string> Values)>? matchExpressions = null)
    {
        var parts = new List<string>();
        if (matchLabels is not null)
        {
            parts.AddRange(matchLabels.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        }
        foreach (var (key, op, values) in matchExpressions ?? [])
        {
            var sorted = values.Order(StringComparer.Ordinal).ToList();
            parts.Add(op switch
            {
                "In" => $"{key} in ({string.Join(',', sorted)})",
                "NotIn" => $"{key} notin ({string.Join(',', sorted)})",
                "Exists" => key,
                "DoesNotExist" => $"!{key}",
                _ => throw new ArgumentException($"label selector operator '{op}' on key '{key}' is not one of In, NotIn, Exists, DoesNotExist."),
            });
            if (op is "In" or "NotIn" && sorted.Count == 0)
            {
                throw new ArgumentException($"label selector operator {op} on key '{key}' needs at least one value.");
            }
        }
        return string.Join(',', parts);
    }
}
