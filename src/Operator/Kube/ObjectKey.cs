using System.Text.Json.Nodes;

namespace Kollect.Operator.Kube;

// Ours: KubernetesClient.Aot names objects by loose strings; the controllers need one typed key.
/// <summary>
/// The identity a cache, a work queue and a reconciler share: an object's namespace (empty for a
/// cluster-scoped object) and name. Written <c>namespace/name</c>, or <c>name</c>, in logs.
/// </summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    /// <summary>The key of a cached or watched object.</summary>
    public static ObjectKey Of(JsonObject obj) => new(KubeObjects.Namespace(obj) ?? "", KubeObjects.Name(obj) ?? "");

    /// <summary>The key of a cluster-scoped object.</summary>
    public static ObjectKey Cluster(string name) => new("", name);

    /// <summary>The namespace as API paths take it: null for a cluster-scoped object.</summary>
    public string? ApiNamespace => Namespace.Length == 0 ? null : Namespace;

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
