using System.Text.Json.Nodes;

namespace Kollect.Operator.Kube;

// Ours: part of the request code KubernetesClient.Aot lacks at our binary size (see KubeClient.cs).
/// <summary>
/// One line of a watch stream: <c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>, <c>BOOKMARK</c>
/// or <c>ERROR</c> (then <see cref="Object"/> is a Status).
/// </summary>
public sealed record KubeWatchEvent(string Type, JsonObject Object)
{
    public string? ResourceVersion => (string?)Object["metadata"]?["resourceVersion"];
}
