using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>
/// The fields of Kubernetes <c>metav1.ObjectMeta</c> that Kollect reads or writes. Kubernetes owns
/// metadata, so other fields are tolerated by validation and dropped by the model.
/// </summary>
public sealed class ObjectMeta
{
    /// <summary>Object name, unique within its namespace.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; set; }

    /// <summary>Prefix the API server completes into a unique name when <see cref="Name"/> is empty.</summary>
    [JsonPropertyName("generateName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? GenerateName { get; set; }

    /// <summary>Namespace; empty for cluster-scoped objects.</summary>
    [JsonPropertyName("namespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Namespace { get; set; }

    /// <summary>Unique identifier assigned by the API server.</summary>
    [JsonPropertyName("uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Uid { get; set; }

    /// <summary>Opaque version used for optimistic concurrency and watches.</summary>
    [JsonPropertyName("resourceVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ResourceVersion { get; set; }

    /// <summary>Sequence number of the desired state, incremented on spec changes.</summary>
    [JsonPropertyName("generation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Generation { get; set; }

    /// <summary>Labels used by selectors.</summary>
    [JsonPropertyName("labels")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>Annotations (free-form metadata).</summary>
    [JsonPropertyName("annotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Annotations { get; set; }

    /// <summary>When the object was created.</summary>
    [JsonPropertyName("creationTimestamp")]
    [JsonConverter(typeof(RfcTimeJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? CreationTimestamp { get; set; }

    /// <summary>When deletion was requested; set only while finalizers run.</summary>
    [JsonPropertyName("deletionTimestamp")]
    [JsonConverter(typeof(RfcTimeJsonConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? DeletionTimestamp { get; set; }

    /// <summary>Finalizers that must be removed before the object is deleted.</summary>
    [JsonPropertyName("finalizers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Finalizers { get; set; }

    /// <summary>Objects that own this one (garbage collection).</summary>
    [JsonPropertyName("ownerReferences")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<OwnerReference>? OwnerReferences { get; set; }
}
