using System.Collections.Concurrent;
using k8s.Models;

namespace Kollect.Operator.Kube;

/// <summary>
/// Ours because the library's discovery is part of its typed client (see <see cref="KubeClient"/>).
/// API discovery (<c>/api/v1</c>, <c>/apis/{group}/{version}</c>): maps a kind to its plural and
/// scope. Each group/version is cached; a miss refetches once, so a CRD installed after start
/// is found (SPEC §7; never guess plurals from kinds).
/// </summary>
public sealed class KubeDiscovery(KubeClient client)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<KubeResource>> _cache = new(StringComparer.Ordinal);

    public async Task<KubeResource> ResolveAsync(GroupVersionKind gvk, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(gvk.ApiVersion, out var cached) && Find(cached, gvk.Kind) is { } hit)
        {
            return hit;
        }
        var fresh = await FetchAsync(gvk, cancellationToken).ConfigureAwait(false);
        _cache[gvk.ApiVersion] = fresh;
        return Find(fresh, gvk.Kind)
            ?? throw new KubeConfigException($"the API server does not serve kind {gvk.Kind} in {gvk.ApiVersion}; is its CRD installed?");
    }

    private async Task<IReadOnlyList<KubeResource>> FetchAsync(GroupVersionKind gvk, CancellationToken cancellationToken)
    {
        var path = gvk.Group.Length == 0 ? $"/api/{gvk.Version}" : $"/apis/{gvk.Group}/{gvk.Version}";
        V1APIResourceList document;
        try
        {
            document = await client.GetPathAsync(path, KubeJsonContext.Default.V1APIResourceList, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            throw new KubeConfigException($"the API server does not serve {gvk.ApiVersion} (GET {path} answered 404); is the CRD for {gvk.Kind} installed?", e);
        }
        var resources = new List<KubeResource>();
        foreach (var entry in document.Resources ?? [])
        {
            // Subresources (pods/status) are listed as name/sub; they are not kinds of their own.
            if (entry.Name is not { } name || entry.Kind is not { } kind || name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }
            resources.Add(new KubeResource(gvk.Group, gvk.Version, name, kind, entry.Namespaced));
        }
        return resources;
    }

    private static KubeResource? Find(IReadOnlyList<KubeResource> resources, string kind) =>
        resources.FirstOrDefault(r => string.Equals(r.Kind, kind, StringComparison.Ordinal));
}
