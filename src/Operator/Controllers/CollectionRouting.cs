using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Routes changes to the controllers (SPEC §3, §4): engine changes (which
/// <see cref="CollectionFeed"/> hands over) mark the affected inventories — a lone change at once, a
/// burst after it coalesced within <see cref="CoalescingWindow"/> into one reconcile per
/// namespace — and the affected targets; a namespace's change re-reconciles the cluster
/// inventories (their namespace selection); a sink's change (its status included) re-reconciles
/// the inventories that may reference it. It depends on nothing that feeds it.
/// </summary>
public sealed class CollectionRouting : IDisposable
{
    /// <summary>Row changes following a flush within this window lead to one more inventory reconcile (issue #6: ≤ 50 ms).</summary>
    public static readonly TimeSpan CoalescingWindow = TimeSpan.FromMilliseconds(20);

    private const string ClusterScope = "\0cluster";
    private readonly ChangeCoalescer _coalescer;
    private readonly object _gate = new();
    private readonly Dictionary<string, (Informer Informer, Controller Controller)> _controllers = new(StringComparer.Ordinal);

    public CollectionRouting() => _coalescer = new ChangeCoalescer(CoalescingWindow, Flush);

    /// <summary>Registers the informer and controller of a Kollect kind, so changes can reach them.</summary>
    public void Attach(string kind, Informer informer, Controller controller)
    {
        lock (_gate)
        {
            _controllers[kind] = (informer, controller);
        }
    }

    /// <summary>
    /// An event of a Kollect kind's informer, after the feed has applied it to the engine and
    /// before the kind's own controller is told: a sink's change marks the inventories that may
    /// reference it.
    /// </summary>
    public void OnKollectEvent(string kind, JsonObject obj)
    {
        if (kind is KollectEventSink.KindName or KollectDatabaseSink.KindName)
        {
            _coalescer.Mark(KubeObjects.Namespace(obj) ?? "");
            _coalescer.Mark(ClusterScope);
        }
    }

    /// <summary>A namespace event, after the feed has applied it: cluster inventories select namespaces by label.</summary>
    public void OnNamespaceEvent() => _coalescer.Mark(ClusterScope);

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
            Controller(kind)?.Queue.Add(new ObjectKey(target.IsCluster ? "" : target.Namespace, target.Name));
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
                cluster.Controller.Queue.Add(ObjectKey.Of(inventory));
            }
        }
        if (namespaced.Controller is not null)
        {
            foreach (var inventory in namespaced.Informer.List().Where(i => scopes.Contains(KubeObjects.Namespace(i) ?? "")))
            {
                namespaced.Controller.Queue.Add(ObjectKey.Of(inventory));
            }
        }
    }
}
