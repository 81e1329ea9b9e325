using System.Text.Json.Serialization;

namespace Kollect.Operator.Kube;

/// <summary><c>coordination.k8s.io/v1</c> Lease, used for leader election (SPEC §7).</summary>
public sealed class Lease
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "coordination.k8s.io/v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Lease";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public LeaseSpec Spec { get; set; } = new();
}
