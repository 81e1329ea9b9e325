namespace Kollect.Operator.Kube;

/// <summary>A kubeconfig <c>contexts[].context</c> entry.</summary>
public sealed record KubeConfigContext(string Cluster, string User, string? Namespace);
