using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Export;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// Turns watched objects into Item rows (SPEC §3), in memory and without I/O, for both the
/// operator (fed from watches) and <c>kollect export</c> (fed from manifests). Thread-safe: every
/// call takes one lock, over the <see cref="TargetRegistry"/> (profiles, targets, namespaces), the
/// <see cref="RowStore"/> (objects into rows) and each <see cref="CollectionReplay"/>. Which rows
/// an inventory exports is decided by <c>Pipeline.InventorySelection</c>.
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
    private readonly TargetRegistry registry = new();
    private readonly RowStore store;

    public CollectionEngine() => store = new RowStore(registry);

    /// <summary>Kinds that collecting targets need watched (the caller keeps one watch per kind).</summary>
    public IReadOnlySet<GroupVersionKind> WatchedKinds
    {
        get
        {
            lock (gate)
            {
                return registry.WatchedKinds.ToHashSet();
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
            return registry.UpsertProfile(key, fingerprint, () => CompiledProfile.Compile(profile));
        }
    }

    public CollectionChange RemoveProfile(string ns, string name)
    {
        lock (gate)
        {
            return registry.RemoveProfile((ns, name));
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
            return registry.UpsertTarget(key, compile, fingerprint);
        }
    }

    public CollectionChange RemoveTarget(TargetKey key)
    {
        lock (gate)
        {
            return registry.RemoveTarget(key);
        }
    }

    public CollectionChange UpsertNamespace(JsonObject ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var name = KubeObjects.Name(ns) ?? "";
        var info = NamespaceInfo.From(ns);
        lock (gate)
        {
            return registry.UpsertNamespace(name, info);
        }
    }

    public CollectionChange RemoveNamespace(string name)
    {
        lock (gate)
        {
            return registry.RemoveNamespace(name);
        }
    }

    /// <summary>An object of <paramref name="gvk"/> was added or modified.</summary>
    public CollectionChange ApplyObject(GroupVersionKind gvk, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        lock (gate)
        {
            var change = new CollectionChangeBuilder();
            store.Apply(gvk, obj, change);
            return change.Build();
        }
    }

    public CollectionChange DeleteObject(GroupVersionKind gvk, string ns, string name, string uid)
    {
        lock (gate)
        {
            var change = new CollectionChangeBuilder();
            store.Delete(gvk, RowStore.ObjectKey(ns, name, uid), change);
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
    /// own events must wait until <see cref="CollectionReplay.Complete"/> (its stream is sequential anyway).
    /// </summary>
    public CollectionReplay BeginReplay(GroupVersionKind gvk) => new(gate, store, gvk);

    /// <summary>Rows of every KollectTarget in <paramref name="ns"/>, in canonical order.</summary>
    public List<ItemRow> RowsForNamespace(string ns)
    {
        lock (gate)
        {
            return store.RowsForNamespace(ns);
        }
    }

    /// <summary>Runs <paramref name="read"/> over one consistent state of the engine (under its lock).</summary>
    public T Read<T>(Func<CollectedRows, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (gate)
        {
            return read(new CollectedRows(registry));
        }
    }

    /// <summary>The report of a target, or null when the engine does not know it.</summary>
    public TargetReport? Report(TargetKey key)
    {
        lock (gate)
        {
            return registry.Report(key);
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
}
