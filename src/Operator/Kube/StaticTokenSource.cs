namespace Kollect.Operator.Kube;

/// <summary>A token written into the kubeconfig (<c>user.token</c>).</summary>
public sealed class StaticTokenSource(string token) : IBearerTokenSource
{
    public ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => new(token);
}
