namespace Kollect.Operator.Kube;

/// <summary>
/// A request path read back as the RBAC terms it needs: verb (<c>get</c>, <c>list</c>,
/// <c>watch</c>, <c>create</c>, <c>update</c>, <c>patch</c>, <c>delete</c>), API group, resource
/// (with subresource) and namespace. Ours because it serves our own request code's errors.
/// </summary>
public sealed record KubeRequestTarget(string Verb, string Group, string Resource, string? Namespace)
{
    /// <summary>Reads <c>/api/v1/…</c> and <c>/apis/GROUP/VERSION/…</c> paths, with or without <c>namespaces/NS</c>.</summary>
    public static KubeRequestTarget Parse(string method, string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var isWatch = query >= 0 && path[query..].Contains("watch=true", StringComparison.Ordinal);
        var segments = (query >= 0 ? path[..query] : path).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var (group, rest) = segments switch
        {
            ["api", _, .. var r] => ("", r),
            ["apis", var g, _, .. var r] => (g, r),
            _ => ("", Array.Empty<string>()),
        };
        string? ns = null;
        if (rest is ["namespaces", var n, _, ..]) // not a Kollect field: a URL segment
        {
            ns = n;
            rest = rest[2..];
        }
        var resource = rest switch
        {
            [var plural, _, var sub, ..] => $"{plural}/{sub}",
            [var plural, ..] => plural,
            _ => path,
        };
        var isItem = rest.Length >= 2;
        var verb = method switch
        {
            "GET" when isWatch => "watch",
            "GET" => isItem ? "get" : "list",
            "WATCH" => "watch",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        return new KubeRequestTarget(verb, group, resource, ns);
    }

    /// <summary>E.g. <c>list secrets (group "") in namespace team-a</c>, or <c>… cluster-wide</c>.</summary>
    public string Describe() =>
        $"{Verb} {Resource} (apiGroup \"{Group}\") {(Namespace is null ? "cluster-wide" : $"in namespace {Namespace}")}";
}
