using Kollect.Operator.Export;

namespace Kollect.Operator.Collect;

/// <summary>
/// Read access to what the engine holds, for deciding which rows an inventory exports
/// (<c>Pipeline.InventorySelection</c>). Valid only inside <see cref="CollectionEngine.Read{T}"/>,
/// which holds the engine's lock, so one selection sees one consistent state.
/// </summary>
public sealed class CollectedRows
{
    private readonly TargetRegistry _registry;

    internal CollectedRows(TargetRegistry registry) => _registry = registry;

    /// <summary>The KollectClusterTargets, by name, with their labels.</summary>
    public IEnumerable<(string Name, IReadOnlyDictionary<string, string> Labels)> ClusterTargets =>
        _registry.Targets.Where(t => t.Spec.Key.IsCluster).Select(t => (t.Spec.Key.Name, (IReadOnlyDictionary<string, string>)t.Spec.Labels));

    /// <summary>The rows of KollectClusterTarget <paramref name="name"/> in no order, or null when it does not exist.</summary>
    public IEnumerable<ItemRow>? ClusterTargetRows(string name) =>
        _registry.TryGetTarget(TargetKey.Cluster(name), out var state) ? state.AllRows() : null;

    /// <summary>The labels of namespace <paramref name="name"/>, or null when the engine does not know it.</summary>
    public IReadOnlyDictionary<string, string>? NamespaceLabels(string name) =>
        _registry.TryGetNamespace(name, out var info) ? info.Labels : null;
}
