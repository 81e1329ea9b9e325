using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// Creates, reads, patches and deletes objects on the test API server over plain HTTP (no kubectl),
/// so a scenario step costs one request. Every failure names the object and quotes the server's answer.
/// </summary>
public sealed class KubeResources(HttpClient http)
{
    private sealed record KindInfo(string Prefix, string Plural, bool Namespaced);

    private static readonly Dictionary<string, KindInfo> Kinds = new(StringComparer.Ordinal)
    {
        ["CustomResourceDefinition"] = new("/apis/apiextensions.k8s.io/v1", "customresourcedefinitions", false),
        ["Namespace"] = new("/api/v1", "namespaces", false),
        ["ConfigMap"] = new("/api/v1", "configmaps", true),
        ["Secret"] = new("/api/v1", "secrets", true),
        ["KollectEventSink"] = new("/apis/kollect.dev/v1alpha1", "kollecteventsinks", true),
        ["KollectDatabaseSink"] = new("/apis/kollect.dev/v1alpha1", "kollectdatabasesinks", true),
        ["KollectConnectionTest"] = new("/apis/kollect.dev/v1alpha1", "kollectconnectiontests", true),
        ["KollectInventory"] = new("/apis/kollect.dev/v1alpha1", "kollectinventories", true),
        ["KollectClusterInventory"] = new("/apis/kollect.dev/v1alpha1", "kollectclusterinventories", false),
        ["KollectProfile"] = new("/apis/kollect.dev/v1alpha1", "kollectprofiles", true),
        ["KollectTarget"] = new("/apis/kollect.dev/v1alpha1", "kollecttargets", true),
        ["KollectClusterTarget"] = new("/apis/kollect.dev/v1alpha1", "kollectclustertargets", false),
        ["KollectConnectionTest"] = new("/apis/kollect.dev/v1alpha1", "kollectconnectiontests", true),
        ["Deployment"] = new("/apis/apps/v1", "deployments", true),
        ["Lease"] = new("/apis/coordination.k8s.io/v1", "leases", true),
        ["Event"] = new("/apis/events.k8s.io/v1", "events", true),
        ["ClusterRole"] = new("/apis/rbac.authorization.k8s.io/v1", "clusterroles", false),
        ["Role"] = new("/apis/rbac.authorization.k8s.io/v1", "roles", true),
    };

    /// <summary>Creates <paramref name="manifest"/> (kind and metadata.namespace pick the path) and returns what the server stored.</summary>
    public async Task<JsonObject> CreateAsync(JsonObject manifest)
    {
        var kind = (string)manifest["kind"]!;
        var ns = (string?)manifest["metadata"]?["namespace"];
        var (status, body) = await SendAsync(HttpMethod.Post, CollectionPath(kind, ns), manifest.ToJsonString(), "application/json");
        Assert.True(status == 201, $"creating {kind} {Describe(ns, (string?)manifest["metadata"]?["name"])} failed with HTTP {status}: {body}");
        return (JsonObject)JsonNode.Parse(body)!;
    }

    /// <summary>Creates every manifest in order.</summary>
    public async Task CreateAllAsync(params JsonObject[] manifests)
    {
        foreach (var manifest in manifests)
        {
            await CreateAsync(manifest);
        }
    }

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(string kind, string? ns, string name)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, ObjectPath(kind, ns, name), null, null);
        if (status == 404)
        {
            return null;
        }
        Assert.True(status == 200, $"reading {kind} {Describe(ns, name)} failed with HTTP {status}: {body}");
        return (JsonObject)JsonNode.Parse(body)!;
    }

    /// <summary>The objects of a kind (in one namespace when given).</summary>
    public async Task<List<JsonObject>> ListAsync(string kind, string? ns)
    {
        var path = ns is null && Kinds.TryGetValue(kind, out var info) ? $"{info.Prefix}/{info.Plural}" : CollectionPath(kind, ns);
        var (status, body) = await SendAsync(HttpMethod.Get, path, null, null);
        Assert.True(status == 200, $"listing {kind} {ns} failed with HTTP {status}: {body}");
        return JsonNode.Parse(body)!["items"]!.AsArray().OfType<JsonObject>().ToList();
    }

    /// <summary>Replaces the object (PUT; the manifest's metadata.resourceVersion, if any, must be current).</summary>
    public async Task<JsonObject> ReplaceAsync(JsonObject manifest)
    {
        var kind = (string)manifest["kind"]!;
        var ns = (string?)manifest["metadata"]?["namespace"];
        var name = (string)manifest["metadata"]!["name"]!;
        var (status, body) = await SendAsync(HttpMethod.Put, ObjectPath(kind, ns, name), manifest.ToJsonString(), "application/json");
        Assert.True(status == 200, $"replacing {kind} {Describe(ns, name)} failed with HTTP {status}: {body}");
        return (JsonObject)JsonNode.Parse(body)!;
    }

    /// <summary>An RFC 7386 merge patch of the object (not its status).</summary>
    public async Task<JsonObject> MergePatchAsync(string kind, string? ns, string name, JsonObject patch)
    {
        var (status, body) = await SendAsync(HttpMethod.Patch, ObjectPath(kind, ns, name), patch.ToJsonString(), "application/merge-patch+json");
        Assert.True(status == 200, $"patching {kind} {Describe(ns, name)} with {patch.ToJsonString()} failed with HTTP {status}: {body}");
        return (JsonObject)JsonNode.Parse(body)!;
    }

    /// <summary>Sets one annotation: a metadata-only change, so the generation stays the same but watchers see a MODIFIED event.</summary>
    public Task<JsonObject> AnnotateAsync(string kind, string? ns, string name, string key, string value) =>
        MergePatchAsync(kind, ns, name, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } });

    public async Task DeleteAsync(string kind, string? ns, string name)
    {
        var (status, body) = await SendAsync(HttpMethod.Delete, ObjectPath(kind, ns, name), null, null);
        Assert.True(status is 200 or 202, $"deleting {kind} {Describe(ns, name)} failed with HTTP {status}: {body}");
    }

    /// <summary>Switches on faults of the test API server (tests/KubeApiServer/README.md, "Fault injection").</summary>
    public async Task<JsonObject> InjectFaultsAsync(JsonObject faults)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/_kollect-test/faults", faults.ToJsonString(), "application/json");
        Assert.True(status == 200, $"fault injection {faults.ToJsonString()} failed with HTTP {status}: {body}");
        return (JsonObject)JsonNode.Parse(body)!;
    }

    private async Task<(int Status, string Body)> SendAsync(HttpMethod method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string CollectionPath(string kind, string? ns)
    {
        if (!Kinds.TryGetValue(kind, out var info))
        {
            throw new ArgumentException($"KubeResources does not know kind {kind}; add it to the table", nameof(kind));
        }
        if (info.Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new ArgumentException($"{kind} is namespaced: set metadata.namespace", nameof(ns));
        }
        return info.Namespaced ? $"{info.Prefix}/namespaces/{ns}/{info.Plural}" : $"{info.Prefix}/{info.Plural}";
    }

    private static string ObjectPath(string kind, string? ns, string name) => $"{CollectionPath(kind, ns)}/{name}";

    private static string Describe(string? ns, string? name) => string.IsNullOrEmpty(ns) ? name ?? "?" : $"{ns}/{name}";
}
