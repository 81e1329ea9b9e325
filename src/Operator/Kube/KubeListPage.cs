using System.Text.Json.Nodes;

namespace Kollect.Operator.Kube;

// Ours: part of the request code KubernetesClient.Aot lacks at our binary size (see KubeClient.cs).
/// <summary>One page of a LIST: items, the list's resourceVersion and the continue token (null on the last page).</summary>
public sealed record KubeListPage(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue);
