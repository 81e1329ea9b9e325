using Kollect.Api.V1Alpha1;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// The engine's registry (SPEC §2.4, §3): profiles, targets and namespace labels, how each target
/// resolves against its profile, which namespaces it matches and collects from, and the indexes by
/// namespace and by collected kind. It holds no objects; when a change alters what a target
/// selects, the change asks for a replay of the kinds concerned. Guarded by the engine's lock.
/// </summary>
internal sealed class TargetRegistry
{
    private readonly Dictionary<(string Namespace, string Name), (string Fingerprint, CompiledProfile Profile)> profiles = [];
    private readonly Dictionary<string, NamespaceInfo> namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<TargetKey, TargetState> targets = [];
    private readonly Dictionary<string, HashSet<TargetKey>> targetsByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<GroupVersionKind, HashSet<TargetKey>> targetsByKind = [];

    public IEnumerable<GroupVersionKind> WatchedKinds => targetsByKind.Keys;

    public IEnumerable<TargetState> Targets => targets.Values;

    public bool TryGetTarget(TargetKey key, out TargetState state) => targets.TryGetValue(key, out state!);

    public bool TryGetNamespace(string name, out NamespaceInfo info) => namespaces.TryGetValue(name, out info!);

    /// <summary>Targets that collect <paramref name="gvk"/> now.</summary>
    public IEnumerable<TargetState> Collecting(GroupVersionKind gvk) =>
        targetsByKind.TryGetValue(gvk, out var keys) ? keys.Select(k => targets[k]) : [];

    /// <summary>The KollectTargets of namespace <paramref name="ns"/>.</summary>
    public IEnumerable<TargetState> InNamespace(string ns) =>
        targetsByNamespace.TryGetValue(ns, out var keys) ? keys.Select(k => targets[k]) : [];

    public CollectionChange UpsertProfile((string Namespace, string Name) key, string fingerprint, Func<CompiledProfile> compile)
    {
        if (profiles.TryGetValue(key, out var known) && known.Fingerprint == fingerprint)
        {
            return CollectionChange.None;
        }
        profiles[key] = (fingerprint, compile());
        return ReconfigureProfileUsers(key);
    }

    public CollectionChange RemoveProfile((string Namespace, string Name) key) =>
        profiles.Remove(key) ? ReconfigureProfileUsers(key) : CollectionChange.None;

    public CollectionChange UpsertTarget(TargetKey key, Func<CompiledTarget> compile, string fingerprint)
    {
        var change = new CollectionChangeBuilder();
        var spec = compile();
        if (targets.TryGetValue(key, out var state))
        {
            if (state.Fingerprint == fingerprint)
            {
                return CollectionChange.None;
            }
            state.Spec = spec;
            state.Fingerprint = fingerprint;
        }
        else
        {
            state = new TargetState(spec, fingerprint);
            targets[key] = state;
            if (!key.IsCluster)
            {
                Index(targetsByNamespace, key.Namespace, key);
            }
            change.TargetChanged(key);
        }
        if (key.IsCluster)
        {
            // Labels and existence decide which cluster inventories roll this target up.
            change.ClusterSelectionChanged();
        }
        Reconfigure(state, change);
        return change.Build();
    }

    public CollectionChange RemoveTarget(TargetKey key)
    {
        if (!targets.Remove(key, out var state))
        {
            return CollectionChange.None;
        }
        var change = new CollectionChangeBuilder();
        SetKinds(state, []);
        if (!key.IsCluster)
        {
            Unindex(targetsByNamespace, key.Namespace, key);
        }
        else
        {
            change.ClusterSelectionChanged();
        }
        if (state.RowCount > 0)
        {
            change.RowsChanged(key);
        }
        change.TargetChanged(key);
        return change.Build();
    }

    public CollectionChange UpsertNamespace(string name, NamespaceInfo info)
    {
        if (namespaces.TryGetValue(name, out var known) && known.SameAs(info))
        {
            return CollectionChange.None;
        }
        namespaces[name] = info;
        return NamespaceChanged(name, info);
    }

    public CollectionChange RemoveNamespace(string name) =>
        namespaces.Remove(name) ? NamespaceChanged(name, null) : CollectionChange.None;

    /// <summary>The report of a target, or null when the registry does not know it.</summary>
    public TargetReport? Report(TargetKey key)
    {
        if (!targets.TryGetValue(key, out var state))
        {
            return null;
        }
        return new TargetReport(
            key,
            state.State,
            state.Problem,
            state.RowCount,
            state.Matched.Order(StringComparer.Ordinal).ToList(),
            state.Effective.Order(StringComparer.Ordinal).ToList(),
            state.Failures.Count,
            state.LastError);
    }

    private CollectionChange ReconfigureProfileUsers((string Namespace, string Name) profile)
    {
        var change = new CollectionChangeBuilder();
        foreach (var state in targets.Values.Where(t => t.Spec.ProfileRef == profile).ToList())
        {
            Reconfigure(state, change);
        }
        return change.Build();
    }

    /// <summary>Re-resolves a target after its spec or profile changed; asks for a replay of what it now collects.</summary>
    private void Reconfigure(TargetState state, CollectionChangeBuilder change)
    {
        var before = Signature(state);
        var spec = state.Spec;
        var profile = profiles.TryGetValue(spec.ProfileRef, out var found) ? found.Profile : null;
        (state.State, state.Problem) = (spec.Problem, profile) switch
        {
            ({ } problem, _) => (TargetCollectionState.InvalidSpec, problem),
            (null, null) => (TargetCollectionState.ProfileNotFound, $"{spec.Key}: {spec.ProfileRefPath}: KollectProfile {spec.ProfileRef.Namespace}/{spec.ProfileRef.Name} does not exist; create it or fix the reference."),
            (null, { Problem: { } problem }) => (TargetCollectionState.InvalidSpec, $"{spec.Key}: {problem}"),
            (null, { SecretDataRefusal: { } refusal } guarded) when spec.Kinds(guarded.Gvk).Any(SecretDataGuard.IsSecret) =>
                (TargetCollectionState.InvalidSpec, $"{spec.Key}: collects Secrets, but {refusal}"),
            _ when spec.Suspended => (TargetCollectionState.Suspended, $"{spec.Key}: {KollectTarget.JsonNames.Spec}.{spec.SuspendField} is true; the last collected rows are kept unchanged. Set {spec.SuspendField} to false to resume."),
            _ => (TargetCollectionState.Collecting, (string?)null),
        };
        state.Profile = profile;
        RecomputeNamespaces(state);

        switch (state.State)
        {
            case TargetCollectionState.Collecting:
                var kinds = spec.Kinds(profile!.Gvk).ToHashSet();
                foreach (var stale in state.Rows.Keys.Where(k => !kinds.Contains(k)).ToList())
                {
                    state.DropKind(stale, change);
                }
                SetKinds(state, kinds);
                change.Replay(kinds);
                break;
            case TargetCollectionState.Suspended:
                SetKinds(state, []);
                break;
            default:
                SetKinds(state, []);
                foreach (var stale in state.Rows.Keys.Concat(state.Failures.Keys.Select(f => f.Kind)).Distinct().ToList())
                {
                    state.DropKind(stale, change);
                }
                break;
        }
        if (Signature(state) != before)
        {
            change.TargetChanged(spec.Key);
        }
    }

    private static string Signature(TargetState state) =>
        $"{state.State}\n{state.Problem}\n{state.RowCount}\n{state.Failures.Count}\n{state.LastError}\n{string.Join(',', state.Matched.Order(StringComparer.Ordinal))}\n{string.Join(',', state.Effective.Order(StringComparer.Ordinal))}";

    private void RecomputeNamespaces(TargetState state)
    {
        state.Matched.Clear();
        state.Candidate.Clear();
        state.Effective.Clear();
        foreach (var (name, info) in namespaces)
        {
            Classify(state, name, info);
        }
    }

    private static void Classify(TargetState state, string name, NamespaceInfo? info)
    {
        var spec = state.Spec;
        Toggle(state.Matched, name, info is not null && spec.MatchesNamespace(name, info));
        Toggle(state.Candidate, name, info is not null && spec.IsCandidate(name, info));
        Toggle(state.Effective, name, info is not null && spec.IsEffective(name, info));
    }

    private static void Toggle(HashSet<string> set, string name, bool member)
    {
        if (member)
        {
            set.Add(name);
        }
        else
        {
            set.Remove(name);
        }
    }

    private CollectionChange NamespaceChanged(string name, NamespaceInfo? info)
    {
        var change = new CollectionChangeBuilder();
        foreach (var state in targets.Values)
        {
            var (matched, candidate, effective) = (state.Matched.Contains(name), state.Candidate.Contains(name), state.Effective.Contains(name));
            Classify(state, name, info);
            if (matched != state.Matched.Contains(name) || effective != state.Effective.Contains(name))
            {
                change.TargetChanged(state.Spec.Key);
            }
            if (state.State == TargetCollectionState.Collecting
                && (candidate != state.Candidate.Contains(name) || effective != state.Effective.Contains(name)))
            {
                change.Replay(state.Kinds);
            }
        }
        // Cluster inventories filter rows by namespace labels.
        if (targets.Keys.Any(k => k.IsCluster))
        {
            change.ClusterSelectionChanged();
        }
        return change.Build();
    }

    private void SetKinds(TargetState state, HashSet<GroupVersionKind> kinds)
    {
        foreach (var kind in state.Kinds.Where(k => !kinds.Contains(k)))
        {
            Unindex(targetsByKind, kind, state.Spec.Key);
        }
        foreach (var kind in kinds)
        {
            Index(targetsByKind, kind, state.Spec.Key);
        }
        state.Kinds = kinds;
    }

    private static void Index<TKey>(Dictionary<TKey, HashSet<TargetKey>> index, TKey key, TargetKey target)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var set))
        {
            set = [];
            index[key] = set;
        }
        set.Add(target);
    }

    private static void Unindex<TKey>(Dictionary<TKey, HashSet<TargetKey>> index, TKey key, TargetKey target)
        where TKey : notnull
    {
        if (index.TryGetValue(key, out var set) && set.Remove(target) && set.Count == 0)
        {
            index.Remove(key);
        }
    }
}
