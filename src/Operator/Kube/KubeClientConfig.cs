using k8s;
using k8s.Authentication;

namespace Kollect.Operator.Kube;

/// <summary>
/// KubernetesClient.Aot's configuration of one API server (endpoint, TLS material, credentials),
/// plus what our request code needs besides: where it came from (for errors and logs) and how to
/// get fresh credentials after a 401, which the library's providers never do on their own.
/// </summary>
public sealed record KubeClientConfig
{
    public required KubernetesClientConfiguration Library { get; init; }

    /// <summary>The API server; overridable for tests that point the same credentials elsewhere.</summary>
    public required Uri Server { get; init; }

    /// <summary>The library's credentials to start with (null: none, e.g. client certificate only).</summary>
    public ServiceClientCredentials? Credentials { get; init; }

    /// <summary>Builds fresh credentials (re-reads the token file, re-runs the exec plugin); null when they cannot change.</summary>
    public Func<ServiceClientCredentials?>? RefreshCredentials { get; init; }

    /// <summary>The context's namespace, or the service account's namespace in-cluster.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Where this came from, e.g. <c>kubeconfig /root/.kube/config, context kind-dev</c>; for log lines.</summary>
    public string Source { get; init; } = "";
}
