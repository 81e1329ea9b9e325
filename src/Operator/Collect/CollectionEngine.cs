using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Export;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Manifests;

namespace Kollect.Operator.Collect;

/// <summary>
/// Turns watched objects into Item rows (SPEC §3), in memory and without I/O, for both the
/// operator (fed from watches) and <c>kollect export</c> (fed from manifests). Thread-safe: every
/// call takes one lock.
/// <para>
/// The engine keeps profiles, targets, namespace labels and one <see cref="ItemRow"/> per target
/// and (kind, object uid) — never objects. When a target, profile or namespace change alters what
/// a target selects, the returned <see cref="CollectionChange.KindsToReplay"/> asks the caller to
/// list those kinds again and pass them to <see cref="ReplaceObjects"/>.
/// </para>
/// Semantics decided here (SPEC §2.4, §3):
/// <list type="bullet">
/// <item>A row's GVK is the kind the object was watched as: the profile's <c>targetGVK</c>, or the
/// <c>gvk</c> of the resource rule that asked for it.</item>
/// <item>Only namespaces the engine was told about (<see cref="UpsertNamespace"/>) can be effective;
/// an object in an unknown namespace is not collected until its namespace arrives.</item>
/// <item><c>watchMode: OptIn</c> collects every selected object of opted-in namespaces (label
/// <c>kollect.dev/watch=enabled</c> or annotation <c>kollect.dev/namespace-watch=enabled</c>) and,
/// in other namespaces that pass the include/exclude rules, the objects that themselves carry
/// <c>kollect.dev/watch=enabled</c> (the schema: "only collect resources/namespaces explicitly
/// enabled"). An object's own label wins over its namespace's: <c>enabled</c> on an object collects
/// it even in a namespace that opts out (label <c>kollect.dev/watch=disabled</c> or annotation
/// <c>kollect.dev/namespace-watch=disabled</c>), in either mode; <c>disabled</c> on an object
/// always excludes it (SPEC §3, issue #12).</item>
/// <item>Cluster-scoped objects are never collected by a KollectTarget; for a KollectClusterTarget
/// they pass the namespace filters (under OptIn they must be labelled enabled themselves).</item>
/// <item><c>suspend: true</c> keeps the target's last rows unchanged (replays leave them alone) and
/// reports <see cref="TargetCollectionState.Suspended"/>; a missing or invalid profile drops them.</item>
/// <item>A <c>matchPolicy</c> that errors or yields anything but <c>true</c> rejects the object.</item>
/// <item>A target that would collect core v1 Secrets (through its profile's kind or a resource rule)
/// with a profile reading <c>data</c>/<c>stringData</c> without the allow annotation collects
/// nothing and reports <see cref="TargetCollectionState.InvalidSpec"/> (the Secret data guard).</item>
/// </list>
/// </summary>
public sealed class CollectionEngine
{
    private const string ClusterTargetKind = "KollectClusterTarget";
    private const string NamespacedTargetKind = "KollectTarget";

    private readonly Lock gate = new();
    private readonly Dictionary<(string Namespace, string Name), (string Fingerprint, CompiledProfile Profile)> profiles = [];
    private readonly Dictionary<string, NamespaceInfo> namespaces = new(StringComparer.Ordinal);
    private readonly Dictionary<TargetKey, TargetState> targets = [];
    private readonly Dictionary<string, HashSet<TargetKey>> targetsByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<GroupVersionKind, HashSet<TargetKey>> targetsByKind = [];

    /// <summary>Kinds that collecting targets need watched (the caller keeps one watch per kind).</summary>
    public IReadOnlySet<GroupVersionKind> WatchedKinds
    {
        get
        {
            lock (gate)
            {
                return targetsByKind.Keys.ToHashSet();
            }
        }
    }

    public CollectionChange UpsertProfile(KollectProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var key = (profile.Metadata.Namespace ?? "", profile.Metadata.Name ?? "");
        // The spec and the one annotation that changes what the profile may collect (the Secret data guard).
        var spec = profile.Spec is { } s ? JsonSerializer.Serialize(s, KollectJsonContext.Default.KollectProfileSpec) : "";
        var fingerprint = $"{spec}\n{CompiledProfile.AllowAnnotation(profile)}";
        lock (gate)
        {
            if (profiles.TryGetValue(key, out var known) && known.Fingerprint == fingerprint)
            {
                return CollectionChange.None;
            }
            profiles[key] = (fingerprint, CompiledProfile.Compile(profile));
            return ReconfigureProfileUsers(key);
        }
    }

    public CollectionChange RemoveProfile(string ns, string name)
    {
        lock (gate)
        {
            return profiles.Remove((ns, name)) ? ReconfigureProfileUsers((ns, name)) : CollectionChange.None;
        }
    }

    /// <summary>Adds or updates a KollectTarget.</summary>
    public CollectionChange UpsertTarget(KollectTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var key = TargetKey.Namespaced(target.Metadata.Namespace ?? "", target.Metadata.Name ?? "");
        var spec = target.Spec is { } s ? JsonSerializer.Serialize(s, KollectJsonContext.Default.KollectTargetSpec) : "";
        return UpsertTarget(key, () => CompiledTarget.Compile(key, target), Fingerprint(spec, target.Metadata));
    }

    /// <summary>Adds or updates a KollectClusterTarget.</summary>
    public CollectionChange UpsertTarget(KollectClusterTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var key = TargetKey.Cluster(target.Metadata.Name ?? "");
        var spec = target.Spec is { } s ? JsonSerializer.Serialize(s, KollectJsonContext.Default.KollectClusterTargetSpec) : "";
        return UpsertTarget(key, () => CompiledTarget.Compile(key, target), Fingerprint(spec, target.Metadata));
    }

    // The spec and the labels (cluster inventories select targets by label).
    private static string Fingerprint(string spec, Kollect.Api.ObjectMeta metadata) =>
        spec + "\n" + (metadata.Labels is { } labels ? JsonSerializer.Serialize(labels, KollectJsonContext.Default.DictionaryStringString) : "");

    private CollectionChange UpsertTarget(TargetKey key, Func<CompiledTarget> compile, string fingerprint)
    {
        lock (gate)
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
    }

    public CollectionChange RemoveTarget(TargetKey key)
    {
        lock (gate)
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
    }

    public CollectionChange UpsertNamespace(JsonObject ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var name = KubeObjects.Name(ns) ?? "";
        var info = NamespaceInfo.From(ns);
        lock (gate)
        {
            if (namespaces.TryGetValue(name, out var known) && known.SameAs(info))
            {
                return CollectionChange.None;
            }
            namespaces[name] = info;
            return NamespaceChanged(name, info);
        }
    }

    public CollectionChange RemoveNamespace(string name)
    {
        lock (gate)
        {
            return namespaces.Remove(name) ? NamespaceChanged(name, null) : CollectionChange.None;
        }
    }

    /// <summary>An object of <paramref name="gvk"/> was added or modified.</summary>
    public CollectionChange ApplyObject(GroupVersionKind gvk, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        lock (gate)
        {
            var change = new CollectionChangeBuilder();
            Apply(gvk, obj, change);
            return change.Build();
        }
    }

    public CollectionChange DeleteObject(GroupVersionKind gvk, string ns, string name, string uid)
    {
        lock (gate)
        {
            var change = new CollectionChangeBuilder();
            if (targetsByKind.TryGetValue(gvk, out var keys))
            {
                foreach (var key in keys)
                {
                    Drop(targets[key], gvk, ObjectKey(ns, name, uid), change);
                }
            }
            return change.Build();
        }
    }

    /// <summary>
    /// Full replay of a kind (initial list, relist after <c>410 Gone</c>, or a
    /// <see cref="CollectionChange.KindsToReplay"/> request): afterwards the rows of
    /// <paramref name="gvk"/> of every collecting target are exactly those the given objects yield.
    /// Suspended targets keep theirs. Rows whose bytes do not change are not reported.
    /// </summary>
    public CollectionChange ReplaceObjects(GroupVersionKind gvk, IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var replay = BeginReplay(gvk);
        var change = replay.Add(objects);
        return CollectionChange.Merge(change, replay.Complete());
    }

    /// <summary>
    /// A full replay fed one LIST page at a time, so a large collection is never held whole
    /// (SPEC §3: rows only). Between pages, events of other kinds may arrive; the replayed kind's
    /// own events must wait until <see cref="Replay.Complete"/> (its stream is sequential anyway).
    /// </summary>
    public Replay BeginReplay(GroupVersionKind gvk) => new(this, gvk);

    /// <summary>One replay of a kind; see <see cref="BeginReplay"/>.</summary>
    public sealed class Replay
    {
        private readonly CollectionEngine _engine;
        private readonly GroupVersionKind _kind;
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        internal Replay(CollectionEngine engine, GroupVersionKind kind)
        {
            _engine = engine;
            _kind = kind;
        }

        /// <summary>Applies one page of the LIST.</summary>
        public CollectionChange Add(IEnumerable<JsonObject> objects)
        {
            ArgumentNullException.ThrowIfNull(objects);
            lock (_engine.gate)
            {
                var change = new CollectionChangeBuilder();
                foreach (var obj in objects)
                {
                    _seen.Add(ObjectKey(KubeObjects.Namespace(obj) ?? "", KubeObjects.Name(obj) ?? "", KubeObjects.Uid(obj) ?? ""));
                    _engine.Apply(_kind, obj, change);
                }
                return change.Build();
            }
        }

        /// <summary>Drops the rows of objects the LIST no longer had.</summary>
        public CollectionChange Complete()
        {
            lock (_engine.gate)
            {
                var change = new CollectionChangeBuilder();
                if (_engine.targetsByKind.TryGetValue(_kind, out var keys))
                {
                    foreach (var key in keys)
                    {
                        var state = _engine.targets[key];
                        foreach (var objectKey in KnownObjectKeys(state, _kind).Where(k => !_seen.Contains(k)))
                        {
                            Drop(state, _kind, objectKey, change);
                        }
                    }
                }
                return change.Build();
            }
        }
    }

    /// <summary>Rows of every KollectTarget in <paramref name="ns"/>, in canonical order (what a KollectInventory there exports).</summary>
    public List<ItemRow> RowsForNamespace(string ns)
    {
        lock (gate)
        {
            var rows = new List<ItemRow>();
            if (targetsByNamespace.TryGetValue(ns, out var keys))
            {
                foreach (var key in keys)
                {
                    rows.AddRange(targets[key].AllRows());
                }
            }
            CanonicalRowArray.Sort(rows);
            return rows;
        }
    }

    /// <summary>
    /// Rows a KollectClusterInventory exports (SPEC §2.3): rows of the KollectClusterTargets it
    /// selects (<c>spec.targetRefs</c> names; else <c>spec.targetSelector</c> on target labels;
    /// else all) whose object namespace matches <c>spec.namespaceSelector</c> and, when set,
    /// <c>spec.namespaces</c>. Cluster-scoped rows (namespace "") belong to no namespace and are
    /// kept: the target already chose to collect them. Rows are in canonical order; with
    /// <c>dedupe: byResourceUID</c> rows sharing namespace and uid (name, for objects without a uid) collapse into one, placed where
    /// the first of them is in canonical order and holding the last of them in that order.
    /// </summary>
    public ClusterInventoryRows RowsForClusterInventory(KollectClusterInventory clusterInventory)
    {
        ArgumentNullException.ThrowIfNull(clusterInventory);
        const string Spec = KollectClusterInventory.JsonNames.Spec;
        var display = $"KollectClusterInventory {clusterInventory.Metadata.Name}";
        var spec = clusterInventory.Spec;
        var problems = new List<string>();
        if (spec?.ProfileRef is not null)
        {
            var profileRef = $"{Spec}.{KollectClusterInventorySpec.JsonNames.ProfileRef}";
            problems.Add($"{display}: {profileRef} is not supported; rows keep the attributes of each target's own profile. Remove {profileRef}.");
        }
        LabelSelectorMatcher namespaceSelector;
        LabelSelectorMatcher? targetSelector;
        try
        {
            namespaceSelector = LabelSelectorMatcher.Compile(spec?.NamespaceSelector, $"{Spec}.{KollectClusterInventorySpec.JsonNames.NamespaceSelector}");
            targetSelector = spec?.TargetSelector is null ? null : LabelSelectorMatcher.Compile(spec.TargetSelector, $"{Spec}.{KollectClusterInventorySpec.JsonNames.TargetSelector}");
        }
        catch (FormatException error)
        {
            problems.Add($"{display}: {error.Message}");
            return new ClusterInventoryRows([], problems);
        }
        var namespaceNames = spec?.Namespaces is { Count: > 0 } list ? list.ToHashSet(StringComparer.Ordinal) : null;
        var targetRefs = spec?.TargetRefs ?? [];
        var byUid = spec?.Dedupe == KollectClusterInventorySpecDedupe.ByResourceUID;
        var targetRefsPath = $"{Spec}.{KollectClusterInventorySpec.JsonNames.TargetRefs}";

        lock (gate)
        {
            var selected = new List<TargetState>();
            if (targetRefs.Count > 0)
            {
                for (var i = 0; i < targetRefs.Count; i++)
                {
                    if (targets.TryGetValue(TargetKey.Cluster(targetRefs[i]), out var state))
                    {
                        selected.Add(state);
                    }
                    else
                    {
                        problems.Add($"{display}: {targetRefsPath}[{i}]: KollectClusterTarget '{targetRefs[i]}' does not exist; create it or fix the name.");
                    }
                }
            }
            else
            {
                selected.AddRange(targets.Values.Where(t => t.Spec.Key.IsCluster && (targetSelector is null || targetSelector.Matches(t.Spec.Labels))));
            }

            var allowed = new Dictionary<string, bool>(StringComparer.Ordinal) { [""] = true };
            var rows = new List<(ItemRow Row, ItemIdentity Identity)>();
            foreach (var row in selected.Distinct().SelectMany(t => t.AllRows()))
            {
                var identity = row.Identity;
                if (!allowed.TryGetValue(identity.Namespace, out var admit))
                {
                    admit = namespaces.TryGetValue(identity.Namespace, out var info)
                        && namespaceSelector.Matches(info.Labels)
                        && (namespaceNames is null || namespaceNames.Contains(identity.Namespace));
                    allowed[identity.Namespace] = admit;
                }
                if (admit)
                {
                    rows.Add((row, identity));
                }
            }
            rows.Sort(static (a, b) => a.Row.CompareTo(b.Row));
            return new ClusterInventoryRows(byUid ? DedupeByUid(rows) : rows.Select(r => r.Row).ToList(), problems);
        }
    }

    /// <summary>The report of a target, or null when the engine does not know it.</summary>
    public TargetReport? Report(TargetKey key)
    {
        lock (gate)
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
    }

    /// <summary>
    /// The key of a KollectTarget or KollectClusterTarget object: by <c>kind</c>, or, when the
    /// object carries none (items of a list response do not), by whether it has a namespace.
    /// </summary>
    public static TargetKey KeyOf(JsonObject target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var name = KubeObjects.Name(target) ?? "";
        var ns = KubeObjects.Namespace(target);
        var cluster = CompiledProfile.Text(target["kind"]) switch
        {
            ClusterTargetKind => true,
            NamespacedTargetKind => false,
            _ => string.IsNullOrEmpty(ns),
        };
        return cluster ? TargetKey.Cluster(name) : TargetKey.Namespaced(ns ?? "", name);
    }

    /// <summary>
    /// The key a row is held under: the uid, or, for objects without one (manifests on disk fed
    /// to <c>kollect export</c>), namespace and name behind a NUL no uid contains.
    /// </summary>
    private static string ObjectKey(string ns, string name, string uid) => uid.Length > 0 ? uid : $"\0{ns}/{name}";

    private static List<ItemRow> DedupeByUid(List<(ItemRow Row, ItemIdentity Identity)> rows)
    {
        var result = new List<ItemRow>(rows.Count);
        var positions = new Dictionary<(string, string), int>();
        foreach (var (row, identity) in rows)
        {
            var key = (identity.Namespace, ObjectKey(identity.Namespace, identity.Name, identity.Uid));
            if (positions.TryGetValue(key, out var position))
            {
                result[position] = row;
            }
            else
            {
                positions[key] = result.Count;
                result.Add(row);
            }
        }
        return result;
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
                    DropKind(state, stale, change);
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
                    DropKind(state, stale, change);
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

    private void Apply(GroupVersionKind gvk, JsonObject obj, CollectionChangeBuilder change)
    {
        if (!targetsByKind.TryGetValue(gvk, out var keys))
        {
            return;
        }
        var uid = KubeObjects.Uid(obj) ?? "";
        var name = KubeObjects.Name(obj) ?? "";
        var ns = KubeObjects.Namespace(obj) ?? "";
        var rowKey = ObjectKey(ns, name, uid);
        var labels = LabelSelectorMatcher.ReadMap(obj["metadata"]?["labels"]);
        labels.TryGetValue(CompiledTarget.WatchLabel, out var watch);
        JsonElement? element = null;
        JsonElement Element() => element ??= ManifestJson.ToElement(obj);
        var extracted = new Dictionary<CompiledProfile, AttributeExtractionResult>();
        foreach (var key in keys)
        {
            var state = targets[key];
            if (watch == CompiledTarget.WatchDisabled || !Selects(state, gvk, ns, name, labels, watch == CompiledTarget.WatchEnabled, Element))
            {
                Drop(state, gvk, rowKey, change);
                continue;
            }
            var profile = state.Profile!;
            if (!extracted.TryGetValue(profile, out var result))
            {
                result = profile.Extractor!.Extract(Element());
                extracted[profile] = result;
            }
            if (!result.Succeeded)
            {
                RemoveRow(state, gvk, rowKey, change);
                var message = $"{gvk.Kind} {(ns.Length == 0 ? name : $"{ns}/{name}")}: {result.Failure}";
                if (!state.Failures.TryGetValue((gvk, rowKey), out var previous) || previous != message || state.LastError != message)
                {
                    state.Failures[(gvk, rowKey)] = message;
                    state.LastError = message;
                    change.TargetChanged(key);
                }
                continue;
            }
            ClearFailure(state, gvk, rowKey, change);
            var row = ItemRow.Create(new ItemIdentity(key.Namespace, key.Name, ns, name, gvk.Group, gvk.Version, gvk.Kind, uid), result.Attributes);
            if (!state.Rows.TryGetValue(gvk, out var rows))
            {
                rows = new Dictionary<string, ItemRow>(StringComparer.Ordinal);
                state.Rows[gvk] = rows;
            }
            if (rows.TryGetValue(rowKey, out var existing) && existing.Json.SequenceEqual(row.Json))
            {
                continue;
            }
            if (existing is null)
            {
                state.RowCount++;
                change.TargetChanged(key);
            }
            rows[rowKey] = row;
            change.RowsChanged(key);
        }
    }

    private bool Selects(TargetState state, GroupVersionKind gvk, string ns, string name, Dictionary<string, string> labels, bool optedIn, Func<JsonElement> element)
    {
        var spec = state.Spec;
        NamespaceInfo? info = null;
        if (ns.Length == 0)
        {
            if (!spec.Key.IsCluster || (spec.OptIn && !optedIn))
            {
                return false;
            }
        }
        else if (!namespaces.TryGetValue(ns, out info)
            || !(state.Effective.Contains(ns) || (optedIn && state.Candidate.Contains(ns))))
        {
            return false;
        }
        return spec.MatchesObject(gvk, name, labels, info, element);
    }

    private static void Drop(TargetState state, GroupVersionKind gvk, string objectKey, CollectionChangeBuilder change)
    {
        RemoveRow(state, gvk, objectKey, change);
        ClearFailure(state, gvk, objectKey, change);
    }

    private static void DropKind(TargetState state, GroupVersionKind gvk, CollectionChangeBuilder change)
    {
        foreach (var objectKey in KnownObjectKeys(state, gvk))
        {
            Drop(state, gvk, objectKey, change);
        }
        state.Rows.Remove(gvk);
    }

    /// <summary>Keys of objects of <paramref name="gvk"/> the target has a row or a failure for (a snapshot: callers drop them).</summary>
    private static List<string> KnownObjectKeys(TargetState state, GroupVersionKind gvk) =>
        (state.Rows.TryGetValue(gvk, out var rows) ? rows.Keys.AsEnumerable() : [])
            .Concat(state.Failures.Keys.Where(f => f.Kind == gvk).Select(f => f.ObjectKey))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static void RemoveRow(TargetState state, GroupVersionKind gvk, string objectKey, CollectionChangeBuilder change)
    {
        if (state.Rows.TryGetValue(gvk, out var rows) && rows.Remove(objectKey))
        {
            state.RowCount--;
            change.RowsChanged(state.Spec.Key);
            change.TargetChanged(state.Spec.Key);
        }
    }

    private static void ClearFailure(TargetState state, GroupVersionKind gvk, string objectKey, CollectionChangeBuilder change)
    {
        if (state.Failures.Remove((gvk, objectKey)))
        {
            if (state.Failures.Count == 0)
            {
                state.LastError = null;
            }
            change.TargetChanged(state.Spec.Key);
        }
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
