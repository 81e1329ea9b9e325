namespace Kollect.Operator.Kube;

// Ours: the one-line errors the library's loader does not give (see KubeConfigLoader.cs).
/// <summary>
/// The kubeconfig or in-cluster configuration cannot be used. The message is one line that names
/// the file, the context and what to do; <c>kollect</c> prints it and exits 2.
/// </summary>
public sealed class KubeConfigException(string message, Exception? inner = null) : Exception(message, inner);
