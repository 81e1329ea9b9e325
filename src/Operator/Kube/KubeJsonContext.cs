using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Kollect.Operator.Kube;

/// <summary>Source-generated serialization for the hand-written built-in types (no reflection, AOT-safe).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubeStatus))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubeEvent))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(KubeNamespace))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class KubeJsonContext : JsonSerializerContext
{
}
