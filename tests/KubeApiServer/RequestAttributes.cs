namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// What a request asks to do, as the RBAC authorizer sees it (kube-apiserver's
/// <c>authorizer.Attributes</c>): a resource request (verb, API group, resource, subresource,
/// namespace, name) or a non-resource request (verb and path).
/// </summary>
public sealed record RequestAttributes(
    UserInfo User,
    string Verb,
    bool IsResourceRequest,
    string ApiGroup,
    string Resource,
    string Subresource,
    string Namespace,
    string Name,
    string Path)
{
    /// <summary>The attributes kube-apiserver's RequestInfoFactory derives from a request.</summary>
    public static RequestAttributes For(UserInfo user, string method, string path, RequestTarget? target, string verb, string? fieldSelector)
    {
        if (target is null)
        {
            return new RequestAttributes(user, method == "GET" || method == "HEAD" ? "get" : method.ToLowerInvariant(), false, "", "", "", "", "", path);
        }
        var name = target.Name ?? "";
        var ns = target.Namespace ?? "";
        // A namespace is addressed as /api/v1/namespaces/{name}: its namespace is its name.
        if (target is { Group: "", Plural: "namespaces" } && target.Name is not null)
        {
            ns = target.Name;
        }
        // list/watch of one object by `fieldSelector=metadata.name=x` is authorized for that name.
        if (verb is "list" or "watch" && name.Length == 0 && SingleName(fieldSelector) is { } selected)
        {
            name = selected;
        }
        return new RequestAttributes(user, verb, true, target.Group, target.Plural, target.Subresource ?? "", ns, name, path);
    }

    /// <summary>The resource as RBAC messages print it: <c>plural</c> or <c>plural/subresource</c>.</summary>
    public string ResourceWithSubresource => Subresource.Length == 0 ? Resource : $"{Resource}/{Subresource}";

    private static string? SingleName(string? fieldSelector)
    {
        if (string.IsNullOrEmpty(fieldSelector) || fieldSelector.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }
        foreach (var op in new[] { "==", "=" })
        {
            var prefix = "metadata.name" + op;
            if (fieldSelector.StartsWith(prefix, StringComparison.Ordinal))
            {
                return fieldSelector[prefix.Length..];
            }
        }
        return null;
    }
}
