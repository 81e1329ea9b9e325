namespace Kollect.Operator.Kube;

/// <summary>
/// Where the bearer token of each request comes from. <c>forceRefresh</c> is set after a 401 so a
/// rotated service-account token or an expired exec credential is fetched again (SPEC §7).
/// </summary>
public interface IBearerTokenSource
{
    ValueTask<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
