using System.Text.Json.Serialization;

namespace Kollect.Operator.Kube;

/// <summary><c>metav1.StatusCause</c>: one reason an object was rejected, with its field path.</summary>
public sealed class KubeStatusCause
{
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("field")] public string? Field { get; set; }
}
