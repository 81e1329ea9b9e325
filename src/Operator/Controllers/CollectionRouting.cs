using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Routes events between the watches, the collection engine and the controllers (SPEC §3, §4):
/// profiles, targets and namespaces go into the engine at once (so it never lags the caches);
/// engine changes mark the affected inventories — a lone change at once, a burst after it
/// coalesced within <see cref="CoalescingWindow"/> into one reconcile per namespace — and the
/// affected targets;
/// a sink's change (its status included) re-reconciles the inventories that may reference it.
/// </summary>
public sealed class CollectionRouting : IDisposable
{
    /// <summary>Row changes following a flush within this window lead to one more inventory reconcile (issue #6: ≤ 50 ms).</summary>
    public static readonly TimeSpan CoalescingWindow = TimeSpan.FromMilliseconds(20);

    private const string ClusterScope = "\0cluster";
    private readonly CollectionEngine _engine;
    private readonly ChangeCoalescer _coalescer;
    private readonly object _gate = new();
    private readonly Dictionary<string, (Informer Informer, Controller Controller)> _controllers = new(StringComparer.Ordinal);

    public CollectionRouting(CollectionEngine engine, Func<CollectionFeed> feed)
    {
        _engine = engine;
        Feed = feed;
        _coalescer = new ChangeCoalescer(CoalescingWindow, Flush);
    }

    private Func<CollectionFeed> Feed { get; }

    /// <summary>Registers the informer and controller of a Kollect kind, so changes can reach them.</summary>
    public void Attach(string kind, Informer informer, Controller controller)
    {
        lock (_gate)
        {
            _controllers[kind] = (informer, controller);
        }
    }

    /// <summary>An event of a Kollect kind's informer (called before the kind's own controller is told).</summary>
    public void OnKollectEvent(string kind, InformerEventType type, JsonObject obj)
    {
        switch (kind)
        {
            case KollectProfile.KindName:
                Feed().Reconcile(type == InformerEventType.Deleted
                    ? _engine.RemoveProfile(KubeObjects.Namespace(obj) ?? "", KubeObjects.Name(obj) ?? "")
                    : _engine.UpsertProfile(obj.Deserialize(KollectJsonContext.Default.KollectProfile)!));
                break;
            case KollectTarget.KindName:
                Feed().Reconcile(type == InformerEventType.Deleted
                    ? _engine.RemoveTarget(CollectionEngine.KeyOf(obj))
                    : _engine.UpsertTarget(obj.Deserialize(KollectJsonContext.Default.KollectTarget)!));
                break;
            case KollectClusterTarget.KindName:
                Feed().Reconcile(type == InformerEventType.Deleted
                    ? _engine.RemoveTarget(CollectionEngine.KeyOf(obj))
                    : _engine.UpsertTarget(obj.Deserialize(KollectJsonContext.Default.KollectClusterTarget)!));
                break;
            case KollectEventSink.KindName:
            case KollectDatabaseSink.KindName:
                _coalescer.Mark(KubeObjects.Namespace(obj) ?? "");
                _coalescer.Mark(ClusterScope);
                break;
        }
    }

    /// <summary>A namespace event: labels steer target selection and cluster inventories' namespace selection.</summary>
    public void OnNamespaceEvent(InformerEventType type, JsonObject ns)
    {
        Feed().Reconcile(type == InformerEventType.Deleted ? _engine.RemoveNamespace(KubeObjects.Name(ns) ?? "") : _engine.UpsertNamespace(ns));
        _coalescer.Mark(ClusterScope);
    }

    /// <summary>What the feed passes on after every engine change.</summary>
    public void OnEngineChange(CollectionChange change)
    {
        _coalescer.Mark(change.ChangedNamespaces);
        if (change.ClusterRowsChanged)
        {
            _coalescer.Mark(ClusterScope);
        }
        foreach (var target in change.ChangedTargets)
        {
            var kind = target.IsCluster ? KollectClusterTarget.KindName : KollectTarget.KindName;
            Controller(kind)?.Queue.Add(target.IsCluster ? target.Name : $"{target.Namespace}/{target.Name}");
        }
    }

    public void Dispose() => _coalescer.Dispose();

    private Controller? Controller(string kind)
    {
        lock (_gate)
        {
            return _controllers.TryGetValue(kind, out var entry) ? entry.Controller : null;
        }
    }

    private void Flush(IReadOnlyCollection<string> scopes)
    {
        (Informer Informer, Controller Controller) namespaced, cluster;
        lock (_gate)
        {
            _controllers.TryGetValue(KollectInventory.KindName, out namespaced);
            _controllers.TryGetValue(KollectClusterInventory.KindName, out cluster);
        }
        if (cluster.Controller is not null && scopes.Contains(ClusterScope))
        {
            foreach (var inventory in cluster.Informer.List())
            {
                cluster.Controller.Queue.Add(KubeObjects.Key(inventory));
            }
        }
        if (namespaced.Controller is not null)
        {
            foreach (var inventory in namespaced.Informer.List().Where(i => scopes.Contains(KubeObjects.Namespace(i) ?? "")))
            {
                namespaced.Controller.Queue.Add(KubeObjects.Key(inventory));
            }
        }
    }
}
