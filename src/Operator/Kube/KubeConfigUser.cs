namespace Kollect.Operator.Kube;

/// <summary>A kubeconfig <c>users[].user</c> entry; file paths are already absolute.</summary>
public sealed record KubeConfigUser
{
    public string? Token { get; init; }
    public string? TokenFile { get; init; }
    public string? ClientCertificate { get; init; }
    public string? ClientCertificateData { get; init; }
    public string? ClientKey { get; init; }
    public string? ClientKeyData { get; init; }
    public ExecCredentialPlugin? Exec { get; init; }
}
