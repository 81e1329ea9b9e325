using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>Accumulates a <see cref="CollectionChange"/> during one engine call.</summary>
internal sealed class CollectionChangeBuilder
{
    private readonly HashSet<GroupVersionKind> replay = [];
    private readonly HashSet<string> namespaces = new(StringComparer.Ordinal);
    private readonly HashSet<TargetKey> targets = [];
    private bool cluster;

    public void Replay(IEnumerable<GroupVersionKind> kinds) => replay.UnionWith(kinds);

    /// <summary>Rows of <paramref name="key"/> changed: its scope must be re-exported.</summary>
    public void RowsChanged(TargetKey key)
    {
        if (key.IsCluster)
        {
            cluster = true;
        }
        else
        {
            namespaces.Add(key.Namespace);
        }
    }

    public void ClusterSelectionChanged() => cluster = true;

    public void TargetChanged(TargetKey key) => targets.Add(key);

    public CollectionChange Build() =>
        replay.Count == 0 && namespaces.Count == 0 && !cluster && targets.Count == 0
            ? CollectionChange.None
            : new CollectionChange(replay, namespaces, cluster, targets);
}
