namespace Kollect.Operator.Kube;

// Ours: part of the request code KubernetesClient.Aot lacks at our binary size (see KubeClient.cs).
/// <summary>
/// A REST resource as discovery describes it: group, version, plural, kind and scope. Builds the
/// request paths (core group under <c>/api</c>, others under <c>/apis</c>; namespaced resources
/// under <c>namespaces/{ns}</c>).
/// </summary>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path; <paramref name="namespaceName"/> null on a namespaced resource lists across all namespaces.</summary>
    public string CollectionPath(string? namespaceName)
    {
        var prefix = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && namespaceName is not null
            ? $"{prefix}/namespaces/{Uri.EscapeDataString(namespaceName)}/{Plural}"
            : $"{prefix}/{Plural}";
    }

    /// <summary>The path of one object; a namespaced resource needs its namespace.</summary>
    public string ItemPath(string? namespaceName, string name)
    {
        if (Namespaced && string.IsNullOrEmpty(namespaceName))
        {
            throw new ArgumentException($"{Kind} is namespaced: a namespace is needed to address '{name}'.", nameof(namespaceName));
        }
        return $"{CollectionPath(Namespaced ? namespaceName : null)}/{Uri.EscapeDataString(name)}";
    }

    public static readonly KubeResource Leases = new("coordination.k8s.io", "v1", "leases", "Lease", true);
    public static readonly KubeResource Events = new("events.k8s.io", "v1", "events", "Event", true);
    public static readonly KubeResource Namespaces = new("", "v1", "namespaces", "Namespace", false); // not a Kollect field: a core resource
    public static readonly KubeResource Secrets = new("", "v1", "secrets", "Secret", true);
    public static readonly KubeResource ConfigMaps = new("", "v1", "configmaps", "ConfigMap", true);
}
