using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>
/// Kubernetes <c>metav1.Condition</c>, the item type of every <c>status.conditions</c> list
/// (SPEC §2; the CRD marks the node with the <c>Condition</c> well-known type).
/// </summary>
public sealed class Condition
{
    /// <summary>Condition type in CamelCase, for example <c>Ready</c>; the list's map key.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; set; }

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; set; }

    /// <summary>The <c>metadata.generation</c> the condition was computed from.</summary>
    [JsonPropertyName("observedGeneration")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? ObservedGeneration { get; set; }

    /// <summary>When the status last changed.</summary>
    [JsonPropertyName("lastTransitionTime")]
    [JsonConverter(typeof(RfcTimeJsonConverter))]
    public required DateTimeOffset LastTransitionTime { get; set; }

    /// <summary>Machine-readable reason in CamelCase.</summary>
    [JsonPropertyName("reason")]
    public required string Reason { get; set; }

    /// <summary>Human-readable details.</summary>
    [JsonPropertyName("message")]
    public required string Message { get; set; }
}
