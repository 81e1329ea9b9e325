namespace Kollect.Operator.Kube;

/// <summary>A kubeconfig <c>clusters[].cluster</c> entry; file paths are already absolute.</summary>
public sealed record KubeConfigCluster(string Server, string? CertificateAuthority, string? CertificateAuthorityData, bool InsecureSkipTlsVerify);
