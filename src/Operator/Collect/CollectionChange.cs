using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// What a <see cref="CollectionEngine"/> call changed. The engine keeps no objects (SPEC §3), so
/// when a selection changes it cannot re-evaluate them itself: the caller lists every kind in
/// <see cref="KindsToReplay"/> again and passes the result to
/// <see cref="CollectionEngine.ReplaceObjects"/>. Inventories of <see cref="ChangedNamespaces"/>
/// (and cluster inventories when <see cref="ClusterRowsChanged"/>) must be re-exported; targets in
/// <see cref="ChangedTargets"/> have a new <see cref="TargetReport"/>.
/// </summary>
public sealed class CollectionChange
{
    public static readonly CollectionChange None = new(new HashSet<GroupVersionKind>(), new HashSet<string>(), false, new HashSet<TargetKey>());

    public CollectionChange(
        IReadOnlySet<GroupVersionKind> kindsToReplay,
        IReadOnlySet<string> changedNamespaces,
        bool clusterRowsChanged,
        IReadOnlySet<TargetKey> changedTargets)
    {
        KindsToReplay = kindsToReplay;
        ChangedNamespaces = changedNamespaces;
        ClusterRowsChanged = clusterRowsChanged;
        ChangedTargets = changedTargets;
    }

    /// <summary>Kinds whose objects must be listed again and replayed.</summary>
    public IReadOnlySet<GroupVersionKind> KindsToReplay { get; }

    /// <summary>Namespaces whose KollectTarget rows changed (a KollectInventory there exports them).</summary>
    public IReadOnlySet<string> ChangedNamespaces { get; }

    /// <summary>Whether rows of any KollectClusterTarget changed.</summary>
    public bool ClusterRowsChanged { get; }

    /// <summary>Targets whose report (count, namespaces, failures, state) changed.</summary>
    public IReadOnlySet<TargetKey> ChangedTargets { get; }

    /// <summary>Both changes as one.</summary>
    public static CollectionChange Merge(CollectionChange first, CollectionChange second) =>
        first.IsEmpty ? second
        : second.IsEmpty ? first
        : new(
            first.KindsToReplay.Union(second.KindsToReplay).ToHashSet(),
            first.ChangedNamespaces.Union(second.ChangedNamespaces, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal),
            first.ClusterRowsChanged || second.ClusterRowsChanged,
            first.ChangedTargets.Union(second.ChangedTargets).ToHashSet());

    public bool IsEmpty => KindsToReplay.Count == 0 && ChangedNamespaces.Count == 0 && !ClusterRowsChanged && ChangedTargets.Count == 0;
}
