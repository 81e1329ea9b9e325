namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// A resource URL taken apart: <c>/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{sub}]]</c> or
/// <c>/apis/{group}/{version}/…</c>, including the legacy <c>/watch/</c> prefix.
/// </summary>
public sealed record RequestTarget(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource, bool LegacyWatch)
{
    /// <summary>Parses a resource path; null when the path is not one (discovery, unknown).</summary>
    public static RequestTarget? Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        string[] rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], segments[2..]);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], segments[3..]);
        }
        else
        {
            return null;
        }
        var legacyWatch = false;
        if (rest.Length > 1 && rest[0] == "watch")
        {
            legacyWatch = true;
            rest = rest[1..];
        }
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        if (rest.Length is 0 or > 3)
        {
            return null;
        }
        return new RequestTarget(group, version, ns, rest[0], rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null, legacyWatch);
    }
}
