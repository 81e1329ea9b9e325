using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>Kubernetes <c>metav1.OwnerReference</c>: links an object to the object that owns it.</summary>
public sealed class OwnerReference
{
    /// <summary>API version of the owner.</summary>
    [JsonPropertyName("apiVersion")]
    public required string ApiVersion { get; set; }

    /// <summary>Kind of the owner.</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; set; }

    /// <summary>Name of the owner.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; set; }

    /// <summary>UID of the owner.</summary>
    [JsonPropertyName("uid")]
    public required string Uid { get; set; }

    /// <summary>True when the owner is the managing controller.</summary>
    [JsonPropertyName("controller")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Controller { get; set; }

    /// <summary>True when the owner cannot be deleted before this object.</summary>
    [JsonPropertyName("blockOwnerDeletion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? BlockOwnerDeletion { get; set; }
}
