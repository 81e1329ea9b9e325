namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// The resources the server serves: the fixed built-ins the operator touches, plus one entry per
/// served version of every established CRD. Discovery is computed from this on every request,
/// so a new CRD shows up at once.
/// </summary>
public sealed class ResourceRegistry
{
    private readonly object _gate = new();
    private List<ApiResourceType> _types = [];

    public ResourceRegistry()
    {
        _types =
        [
            new("", "v1", "Namespace", "namespaces", "namespace", false, ["ns"], []) { HasStatusSubresource = true },
            new("", "v1", "ConfigMap", "configmaps", "configmap", true, ["cm"], []),
            new("", "v1", "Secret", "secrets", "secret", true, [], []),
            new("", "v1", "Event", "events", "event", true, ["ev"], []),
            new("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, ["sa"], []) { HasTokenSubresource = true },
            new("", "v1", "Service", "services", "service", true, ["svc"], ["all"]) { HasStatusSubresource = true },
            new("apps", "v1", "Deployment", "deployments", "deployment", true, ["deploy"], ["all"]) { HasStatusSubresource = true },
            new("coordination.k8s.io", "v1", "Lease", "leases", "lease", true, [], []),
            new("events.k8s.io", "v1", "Event", "events", "event", true, ["ev"], []),
            new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", false, [], []),
            new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, [], []),
            new("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", true, [], []),
            new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", true, [], []),
            new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions",
                "customresourcedefinition", false, ["crd", "crds"], ["api-extensions"]) { HasStatusSubresource = true },
        ];
    }

    public IReadOnlyList<ApiResourceType> All
    {
        get
        {
            lock (_gate)
            {
                return _types;
            }
        }
    }

    public ApiResourceType? Find(string group, string version, string plural) =>
        All.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);

    /// <summary>Replaces every type defined by <paramref name="crdName"/> with <paramref name="types"/>.</summary>
    public void SetCustomTypes(string crdName, IReadOnlyList<ApiResourceType> types)
    {
        lock (_gate)
        {
            var next = _types.Where(t => t.CrdName != crdName).ToList();
            next.AddRange(types);
            _types = next;
        }
    }

    /// <summary>Group names in the order kube-apiserver lists them: core first, then by name.</summary>
    public IReadOnlyList<string> Groups() =>
        All.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct().OrderBy(g => g, StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> Versions(string group) =>
        All.Where(t => t.Group == group).Select(t => t.Version).Distinct().OrderBy(v => v, StringComparer.Ordinal).ToList();
}
