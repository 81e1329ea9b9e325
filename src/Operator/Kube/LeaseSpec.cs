using System.Text.Json.Serialization;

namespace Kollect.Operator.Kube;

/// <summary><c>LeaseSpec</c>; times are RFC 3339 with microseconds (<c>MicroTime</c>).</summary>
public sealed class LeaseSpec
{
    [JsonPropertyName("holderIdentity")] public string? HolderIdentity { get; set; }
    [JsonPropertyName("leaseDurationSeconds")] public int? LeaseDurationSeconds { get; set; }
    [JsonPropertyName("acquireTime")] public DateTimeOffset? AcquireTime { get; set; }
    [JsonPropertyName("renewTime")] public DateTimeOffset? RenewTime { get; set; }
    [JsonPropertyName("leaseTransitions")] public int? LeaseTransitions { get; set; }
}
