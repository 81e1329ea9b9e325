using Kollect.Operator.Json;
using Kollect.Api.V1Alpha1;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Kube;

namespace Kollect.Tests.Unit.Collect.Engine;

/// <summary>Builders for the Kubernetes and Kollect objects the collection engine tests feed it.</summary>
internal static class EngineObjects
{
    public static readonly GroupVersionKind ConfigMap = new("", "v1", "ConfigMap");
    public static readonly GroupVersionKind Deployment = new("apps", "v1", "Deployment");
    public static readonly GroupVersionKind ClusterRole = new("rbac.authorization.k8s.io", "v1", "ClusterRole");

    public static JsonObject Namespace(string name, string labels = "{}", string annotations = "{}") =>
        Parse($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{name}}}","labels":{{{labels}}},"annotations":{{{annotations}}}}}""");

    public static KollectProfile Profile(string ns, string name, GroupVersionKind gvk, string attributes = """[{"name":"data","path":"$.data"}]""") =>
        JsonSerializer.Deserialize($$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectProfile","metadata":{"name":"{{name}}","namespace":"{{ns}}"},
             "spec":{"targetGVK":{"group":"{{gvk.Group}}","version":"{{gvk.Version}}","kind":"{{gvk.Kind}}"},"attributes":{{attributes}} } }
            """, KollectJsonContext.Default.KollectProfile)!;

    public static KollectTarget Target(string ns, string name, string spec = """{"profileRef":"p"}""", long generation = 1) =>
        JsonSerializer.Deserialize($$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectTarget","metadata":{"name":"{{name}}","namespace":"{{ns}}","generation":{{generation}}},"spec":{{spec}}}""", KollectJsonContext.Default.KollectTarget)!;

    public static KollectClusterTarget ClusterTarget(string name, string spec, string labels = "{}") =>
        JsonSerializer.Deserialize($$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectClusterTarget","metadata":{"name":"{{name}}","labels":{{labels}},"generation":1},"spec":{{spec}}}""", KollectJsonContext.Default.KollectClusterTarget)!;

    public static KollectClusterInventory ClusterInventory(string spec) =>
        JsonSerializer.Deserialize($$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectClusterInventory","metadata":{"name":"all"},"spec":{{spec}}}""", KollectJsonContext.Default.KollectClusterInventory)!;

    /// <summary>An object with <c>data</c>; <paramref name="ns"/> "" makes it cluster-scoped.</summary>
    public static JsonObject Object(string ns, string name, string? uid = null, string labels = "{}", string data = """{"k":"v"}""")
    {
        var obj = Parse($$"""{"metadata":{"name":"{{name}}","uid":"{{uid ?? $"uid-{ns}-{name}"}}","labels":{{labels}}},"data":{{data}}}""");
        if (ns.Length > 0)
        {
            obj["metadata"]!["namespace"] = ns;
        }
        return obj;
    }

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
