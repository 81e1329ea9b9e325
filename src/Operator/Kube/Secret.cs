using System.Text.Json.Serialization;

namespace Kollect.Operator.Kube;

/// <summary>Core v1 Secret; <see cref="Data"/> values are base64 in JSON and bytes here.</summary>
public sealed class Secret
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "v1";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Secret";
    [JsonPropertyName("metadata")] public ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("data")] public Dictionary<string, byte[]>? Data { get; set; }
}
