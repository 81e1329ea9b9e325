namespace Kollect.Operator.Kube;

/// <summary>The kubeconfig <c>user.exec</c> block: what to run for a credential.</summary>
public sealed record ExecCredentialPlugin(
    string ApiVersion,
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyList<KeyValuePair<string, string>> Env,
    string? InstallHint);
