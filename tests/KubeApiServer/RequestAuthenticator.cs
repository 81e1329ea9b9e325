namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// Who sent a request, in RBAC mode: the admin token (<see cref="KubeApiServerHost.AdminToken"/>),
/// a ServiceAccount token this server issued, or anonymous without an Authorization header (as
/// kube-apiserver with anonymous auth on); any other credential is 401 Unauthorized.
/// </summary>
public static class RequestAuthenticator
{
    public static UserInfo Authenticate(string? authorization, ServiceAccountTokens tokens, ResourceRegistry registry)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return UserInfo.Anonymous;
        }
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiError.Unauthorized();
        }
        var token = authorization["Bearer ".Length..].Trim();
        if (token == KubeApiServerHost.AdminToken)
        {
            return UserInfo.Admin;
        }
        return tokens.Authenticate(token, registry.Find("", "v1", "serviceaccounts")!) ?? throw ApiError.Unauthorized();
    }
}
