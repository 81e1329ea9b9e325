using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>
/// Kubernetes <c>metav1.LabelSelector</c>. An empty selector matches everything; the requirements
/// of both fields are ANDed.
/// </summary>
public sealed class LabelSelector
{
    /// <summary>Labels that must be present with exactly these values.</summary>
    [JsonPropertyName("matchLabels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? MatchLabels { get; set; }

    /// <summary>Set-based requirements.</summary>
    [JsonPropertyName("matchExpressions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}
