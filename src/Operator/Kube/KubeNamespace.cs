using System.Text.Json.Serialization;

namespace Kollect.Operator.Kube;

/// <summary>Core v1 Namespace (metadata only: labels drive namespace selectors).</summary>
public sealed class KubeNamespace
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Namespace";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
}
