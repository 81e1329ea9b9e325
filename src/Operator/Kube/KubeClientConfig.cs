using System.Security.Cryptography.X509Certificates;

namespace Kollect.Operator.Kube;

/// <summary>
/// Everything needed to talk to one API server, from a kubeconfig or the in-cluster service
/// account: endpoint, trust, client identity and the default namespace.
/// </summary>
public sealed record KubeClientConfig
{
    public required Uri Server { get; init; }

    /// <summary>Extra trust roots for the server certificate (cluster CA); empty means system trust.</summary>
    public X509Certificate2Collection CertificateAuthorities { get; init; } = [];

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Client certificate with its private key (mutual TLS), when configured.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Source of the bearer token, when the user authenticates with one.</summary>
    public IBearerTokenSource? Credentials { get; init; }

    /// <summary>The context's namespace, or the service account's namespace in-cluster.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Which kubeconfig context (or "in-cluster") this came from; for log lines.</summary>
    public string Source { get; init; } = "";
}
