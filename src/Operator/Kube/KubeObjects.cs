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

    /// <summary>The work-queue key: <c>namespace/name</c>, or <c>name</c> for cluster-scoped objects.</summary>
    public static string Key(JsonObject obj) => Namespace(obj) is { Length: > 0 } ns ? $"{ns}/{Name(obj)}" : Name(obj) ?? "";

    /// <summary>Splits a key made by <see cref="Key"/>.</summary>
    public static (string? Namespace, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
