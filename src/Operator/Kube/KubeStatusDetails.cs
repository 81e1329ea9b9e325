using System.Text.Json.Serialization;

namespace Kollect.Operator.Kube;

/// <summary><c>metav1.StatusDetails</c>: what the error is about and its field-level causes.</summary>
public sealed class KubeStatusDetails
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("group")] public string? Group { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("retryAfterSeconds")] public int? RetryAfterSeconds { get; set; }
    [JsonPropertyName("causes")] public List<KubeStatusCause>? Causes { get; set; }
}
