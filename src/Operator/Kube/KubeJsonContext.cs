using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kollect.Operator.Kube;

/// <summary>
/// Source-generated JSON for the KubernetesClient.Aot models we use. Our own context rather than
/// the library's, which covers the whole API and costs 11 MB of binary (docs/benchmarks.md); the
/// library's converters keep its time formats (RFC 3339, MicroTime with microseconds).
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KubernetesJson.KubernetesDateTimeConverter), typeof(KubernetesJson.KubernetesDateTimeOffsetConverter)])]
[JsonSerializable(typeof(V1Status))]
[JsonSerializable(typeof(V1Lease))]
[JsonSerializable(typeof(Eventsv1Event))]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(V1APIResourceList))]
[JsonSerializable(typeof(JsonObject))]
public sealed partial class KubeJsonContext : JsonSerializerContext;
