using System.Text.Json.Nodes;

namespace Kollect.Operator.Kube;

// Ours: part of the request code KubernetesClient.Aot lacks at our binary size (see KubeClient.cs).
/// <summary>Reads the common metadata fields of a dynamic object.</summary>
public static class KubeObjects
{
    public static string? Name(JsonObject obj) => (string?)obj["metadata"]?["name"];

    public static string? Namespace(JsonObject obj) => (string?)obj["metadata"]?["namespace"];

    public static string? ResourceVersion(JsonObject obj) => (string?)obj["metadata"]?["resourceVersion"];

    public static long Generation(JsonObject obj) => obj["metadata"]?["generation"] is JsonValue v && v.TryGetValue<long>(out var g) ? g : 0;

    public static string? Uid(JsonObject obj) => (string?)obj["metadata"]?["uid"];
}
