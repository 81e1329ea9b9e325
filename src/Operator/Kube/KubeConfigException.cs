namespace Kollect.Operator.Kube;

/// <summary>The kubeconfig or in-cluster configuration cannot be used; the message says what and where.</summary>
public sealed class KubeConfigException(string message, Exception? inner = null) : Exception(message, inner);
