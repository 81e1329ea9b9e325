namespace Kollect.Operator.Kube;

// Ours: part of the request code KubernetesClient.Aot lacks at our binary size (see KubeClient.cs).
/// <summary>Query options of a LIST or WATCH request.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }
    public string? FieldSelector { get; init; }

    /// <summary>Page size (<c>limit</c>); null lets the server decide (no paging).</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }

    /// <summary>Builds the query string (with leading '?', or empty); watch adds its own parameters.</summary>
    public string ToQuery(params (string Name, string? Value)[] extra)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("labelSelector", LabelSelector); // not a Kollect field: a list query parameter
        Add("fieldSelector", FieldSelector);
        Add("limit", Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("continue", Continue);
        Add("resourceVersion", ResourceVersion);
        foreach (var (name, value) in extra)
        {
            Add(name, value);
        }
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
