using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>Kubernetes <c>metav1.ListMeta</c>: the metadata of a list response.</summary>
public sealed class ListMeta
{
    /// <summary>Resource version of the list, the starting point of a watch.</summary>
    [JsonPropertyName("resourceVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResourceVersion { get; set; }

    /// <summary>Token for the next page of a paginated list.</summary>
    [JsonPropertyName("continue")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Continue { get; set; }

    /// <summary>Number of items not returned in this page, when the server knows it.</summary>
    [JsonPropertyName("remainingItemCount")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? RemainingItemCount { get; set; }
}
