using System.Text.Json.Serialization;

namespace Kollect.Operator.Kube;

/// <summary>The API's <c>metav1.Status</c>, as returned with errors and in watch ERROR events.</summary>
public sealed class KubeStatus
{
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("code")] public int Code { get; set; }
    [JsonPropertyName("details")] public KubeStatusDetails? Details { get; set; }
}
