using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>Kubernetes <c>metav1.LabelSelectorRequirement</c>: one set-based label requirement.</summary>
public sealed class LabelSelectorRequirement
{
    /// <summary>The label key.</summary>
    [JsonPropertyName("key")]
    public required string Key { get; set; }

    /// <summary><c>In</c>, <c>NotIn</c>, <c>Exists</c> or <c>DoesNotExist</c>.</summary>
    [JsonPropertyName("operator")]
    public required string Operator { get; set; }

    /// <summary>Values for <c>In</c>/<c>NotIn</c>; empty for <c>Exists</c>/<c>DoesNotExist</c>.</summary>
    [JsonPropertyName("values")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Values { get; set; }
}
