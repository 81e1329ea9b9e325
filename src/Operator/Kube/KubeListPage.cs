using System.Text.Json.Nodes;

namespace Kollect.Operator.Kube;

/// <summary>One page of a LIST: items, the list's resourceVersion and the continue token (null on the last page).</summary>
public sealed record KubeListPage(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue);
