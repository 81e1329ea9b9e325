using System.Text.Json.Serialization;

namespace Kollect.Operator.Kube;

/// <summary><c>events.k8s.io/v1</c> Event (no series: the operator does not aggregate).</summary>
public sealed class KubeEvent
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "events.k8s.io/v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Event";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("eventTime")] public DateTimeOffset EventTime { get; set; }
    [JsonPropertyName("reportingController")] public string? ReportingController { get; set; }
    [JsonPropertyName("reportingInstance")] public string? ReportingInstance { get; set; }
    [JsonPropertyName("action")] public string? Action { get; set; }
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("note")] public string? Note { get; set; }
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("regarding")] public ObjectReference? Regarding { get; set; }
}
