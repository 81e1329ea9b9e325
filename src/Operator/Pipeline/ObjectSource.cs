using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Manifests;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// Where <c>kollect export</c> takes the collected objects and namespaces from: manifests on disk,
/// or one paged LIST per kind from a cluster (plural and scope from discovery, as the operator).
/// </summary>
public sealed class ObjectSource : IDisposable
{
    // Manifests do not say whether a kind is namespaced; kubectl would ask discovery. Without a
    // cluster, these built-in kinds stay cluster-scoped and everything else without a namespace
    // lands in "default", as `kubectl apply` would put it.
    private static readonly HashSet<string> ClusterScopedKinds = new(StringComparer.Ordinal)
    {
        "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
        "PriorityClass", "IngressClass", "RuntimeClass", "CSIDriver", "CSINode", "VolumeAttachment",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService",
    };

    private readonly IReadOnlyList<JsonObject> _manifests;
    private readonly KubeClient? _client;

    private ObjectSource(IReadOnlyList<JsonObject> namespaces, IReadOnlyList<JsonObject> manifests, KubeClient? client, IReadOnlyList<string> problems)
    {
        Namespaces = namespaces;
        _manifests = manifests;
        _client = client;
        Problems = problems;
    }

    /// <summary>Namespace objects (labels and annotations drive target selection).</summary>
    public IReadOnlyList<JsonObject> Namespaces { get; }

    /// <summary>Why the objects cannot be read; nothing is exported then.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>
    /// Objects of <paramref name="paths"/> that are not Kollect configuration. Namespaces come from
    /// Namespace manifests; a namespace that objects or the configuration use without a manifest
    /// exists without labels. An object without a namespace is in <c>default</c> unless its kind
    /// is a built-in cluster-scoped one (Node, ClusterRole, ...).
    /// <para>
    /// Secrets are collected like any other kind, as the API server stores them
    /// (<see cref="ManifestSecretStore.AsStored"/>), and one Secret manifest serves both uses, as one
    /// Secret in a cluster does (SPEC §3, §8; issue #12): the Secrets of <paramref name="paths"/> are
    /// added to the configuration's, so sinks may use them, and those of the configuration are
    /// collected too. A Secret defined differently in both places is a problem.
    /// </para>
    /// </summary>
    public static ObjectSource FromManifests(IReadOnlyList<string> paths, LocalConfiguration configuration)
    {
        var read = ManifestReader.Read(paths);
        var problems = read.Errors.Select(e => e.ToString()).ToList();
        var objects = new List<JsonObject>();
        var secrets = new Dictionary<(string, string), ManifestDocument>();
        var namespaces = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var document in read.Documents)
        {
            if (document.Content is not JsonObject obj || document.ApiVersion is null || document.Kind is null || document.Name is null)
            {
                problems.Add($"{document}: not a Kubernetes object (apiVersion, kind and metadata.name are needed)");
                continue;
            }
            if (document.ApiVersion.StartsWith(Validation.ManifestValidator.KollectGroup + "/", StringComparison.Ordinal))
            {
                continue;
            }
            if (document.ApiVersion == "v1" && document.Kind == "Namespace")
            {
                namespaces[document.Name] = obj;
                continue;
            }
            if (obj["metadata"] is JsonObject metadata && string.IsNullOrEmpty((string?)metadata["namespace"]) && !ClusterScopedKinds.Contains(document.Kind))
            {
                metadata["namespace"] = "default";
            }
            if (document.IsSecret)
            {
                secrets[SecretKey(document)] = document;
                obj = ManifestSecretStore.AsStored(obj);
            }
            objects.Add(obj);
        }
        foreach (var document in configuration.SecretDocuments)
        {
            if (!secrets.TryGetValue(SecretKey(document), out var other))
            {
                objects.Add(ManifestSecretStore.AsStored(WithNamespace(document)));
            }
            else if (!JsonNode.DeepEquals(WithNamespace(document), other.Content))
            {
                problems.Add($"{other}: Secret {SecretKey(document).Item1}/{SecretKey(document).Item2} is also defined, differently, in {document} of the configuration; define each Secret once");
            }
        }
        var known = configuration.Secrets.Problems.Count;
        configuration.Secrets.AddRange(secrets.Values);
        problems.AddRange(configuration.Secrets.Problems.Skip(known));
        if (read.Documents.Count == 0 && read.Errors.Count == 0)
        {
            problems.Add($"no manifests found in {string.Join(", ", paths)}");
        }
        var used = objects.Select(o => KubeObjects.Namespace(o)).OfType<string>()
            .Concat(configuration.ByKind.Values.SelectMany(l => l).Select(o => KubeObjects.Namespace(o)).OfType<string>())
            .Where(n => n.Length > 0);
        foreach (var name in used.Where(n => !namespaces.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToList())
        {
            namespaces[name] = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = name },
            };
        }
        return new ObjectSource([.. namespaces.Values], objects, null, problems);
    }

    private static (string, string) SecretKey(ManifestDocument document) => (document.Namespace is { Length: > 0 } ns ? ns : "default", document.Name!);

    // A configuration Secret as an object to collect: in "default" when its manifest names no namespace.
    private static JsonObject WithNamespace(ManifestDocument document)
    {
        var obj = document.Content.DeepClone().AsObject();
        if (obj["metadata"] is JsonObject metadata && string.IsNullOrEmpty((string?)metadata["namespace"]))
        {
            metadata["namespace"] = "default";
        }
        return obj;
    }

    /// <summary>Connects with the kubeconfig and lists the namespaces; objects are listed per kind on demand.</summary>
    public static async Task<ObjectSource> FromClusterAsync(string kubeconfig, string? context, CancellationToken cancellationToken)
    {
        KubeClient client;
        try
        {
            client = new KubeClient(KubeConfigLoader.Load(kubeconfig, context));
        }
        catch (KubeConfigException e)
        {
            return new ObjectSource([], [], null, [e.Message]);
        }
        try
        {
            var namespaces = await client.ListAllAsync(KubeResource.Namespaces, null, null, cancellationToken).ConfigureAwait(false);
            return new ObjectSource(namespaces.Items, [], client, []);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            client.Dispose();
            return new ObjectSource([], [], null, [$"cannot list namespaces from {client.Config.Server}: {e.Message}"]);
        }
    }

    /// <summary>
    /// The objects of one kind. From a cluster, a kind the server does not serve yields none (its
    /// targets then simply collect nothing, as in the operator).
    /// </summary>
    public async Task<IReadOnlyList<JsonObject>> ObjectsOf(GroupVersionKind kind, CancellationToken cancellationToken)
    {
        if (_client is null)
        {
            return _manifests.Where(o => (string?)o["apiVersion"] == kind.ApiVersion && (string?)o["kind"] == kind.Kind).ToList();
        }
        KubeResource resource;
        try
        {
            resource = await _client.Discovery.ResolveAsync(kind, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeConfigException)
        {
            return [];
        }
        return (await _client.ListAllAsync(resource, null, null, cancellationToken).ConfigureAwait(false)).Items;
    }

    public void Dispose() => _client?.Dispose();
}
