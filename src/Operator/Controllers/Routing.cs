using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Which reconciles a change leads to, declared in one place (SPEC §3, §4, §6.3), after
/// controller-runtime's <c>IndexField</c> and <c>EnqueueRequestsFromMapFunc</c>. A kind's informer
/// gets its <see cref="DeclaredIndexes"/> when it attaches; every route maps what changed to keys
/// through them, never by scanning a cache:
/// <list type="table">
/// <item><term>a Kollect object</term><description>its own key (<c>For</c>)</description></item>
/// <item><term>rows of a namespace</term><description>the KollectInventories there (index <see cref="ByNamespace"/>, coalesced)</description></item>
/// <item><term>cluster rows, a Namespace</term><description>every KollectClusterInventory (coalesced)</description></item>
/// <item><term>a sink, its status included</term><description>the inventories of its namespace and every cluster inventory (coalesced)</description></item>
/// <item><term>a target's collection</term><description>that target</description></item>
/// <item><term>a Secret</term><description>the sinks naming it (index <see cref="BySecret"/>)</description></item>
/// <item><term>Secrets listed again</term><description>every sink naming a Secret (changes may have been missed)</description></item>
/// </list>
/// Row changes are coalesced: a lone change goes at once, a burst within
/// <see cref="CoalescingWindow"/> becomes one reconcile per namespace. It depends on nothing that feeds it.
/// </summary>
public sealed class Routing : IDisposable
{
    /// <summary>Row changes following a flush within this window lead to one more inventory reconcile (issue #6: ≤ 50 ms).</summary>
    public static readonly TimeSpan CoalescingWindow = TimeSpan.FromMilliseconds(20);

    /// <summary>Index of namespaced inventories by their namespace.</summary>
    public const string ByNamespace = "namespace";

    /// <summary>Index of sinks by the Secrets they name, as <c>namespace/name</c>.</summary>
    public const string BySecret = "secret";

    private const string ClusterScope = "\0cluster";

    /// <summary>The indexes each kind's informer carries.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<(string Name, Func<JsonObject, IEnumerable<string>> Values)>> DeclaredIndexes =
        new Dictionary<string, IReadOnlyList<(string, Func<JsonObject, IEnumerable<string>>)>>(StringComparer.Ordinal)
        {
            [KollectInventory.KindName] = [(ByNamespace, obj => [KubeObjects.Namespace(obj) ?? ""])],
            [KollectEventSink.KindName] = [(BySecret, obj => SecretValues(OperatorSinkDirectory.SecretReferences(obj)))],
            [KollectDatabaseSink.KindName] = [(BySecret, obj => SecretValues(OperatorDatabaseSinkDirectory.SecretReferences(obj)))],
        };

    private static readonly string[] SinkKinds = [KollectEventSink.KindName, KollectDatabaseSink.KindName];

    private readonly ChangeCoalescer _coalescer;
    private readonly object _gate = new();
    private readonly Dictionary<string, (Informer Informer, Controller Controller)> _controllers = new(StringComparer.Ordinal);

    public Routing() => _coalescer = new ChangeCoalescer(CoalescingWindow, Flush);

    /// <summary>Registers a Kollect kind's informer (declaring its indexes on it) and controller, so changes reach them.</summary>
    public void Attach(string kind, Informer informer, Controller controller)
    {
        if (DeclaredIndexes.TryGetValue(kind, out var indexes))
        {
            foreach (var (name, values) in indexes)
            {
                informer.AddIndex(name, values);
            }
        }
        lock (_gate)
        {
            _controllers[kind] = (informer, controller);
        }
    }

    /// <summary>
    /// An event of a Kollect kind's informer, after the feed has applied it to the engine: the
    /// object's own controller reconciles it, and a sink's change marks the inventories that may reference it.
    /// </summary>
    public void OnKollectEvent(string kind, JsonObject obj)
    {
        if (kind is KollectEventSink.KindName or KollectDatabaseSink.KindName)
        {
            _coalescer.Mark(KubeObjects.Namespace(obj) ?? "");
            _coalescer.Mark(ClusterScope);
        }
        Controller(kind)?.Queue.Add(ObjectKey.Of(obj));
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

    /// <summary>A Secret was added, changed or deleted: the sinks naming it test their connection again.</summary>
    public void OnSecretEvent(JsonObject secret)
    {
        var value = ObjectKey.Of(secret).ToString();
        foreach (var (informer, controller) in Sinks())
        {
            foreach (var sink in informer.ByIndex(BySecret, value))
            {
                controller.Queue.Add(ObjectKey.Of(sink));
            }
        }
    }

    /// <summary>Secrets were listed (first, or after the watch expired): any of them may have changed meanwhile.</summary>
    public void OnSecretsListed()
    {
        foreach (var (informer, controller) in Sinks())
        {
            foreach (var sink in informer.Indexed(BySecret))
            {
                controller.Queue.Add(ObjectKey.Of(sink));
            }
        }
    }

    /// <summary>
    /// The one watch on Secrets, through the same <see cref="ObjectStream"/> as every other kind:
    /// its LIST only learns the resourceVersion (no Secret is fetched whole or kept), and each
    /// event is routed by <see cref="OnSecretEvent"/>.
    /// </summary>
    public ObjectStream SecretStream(KubeClient client, ILoggerFactory loggers) =>
        new(client, KubeResource.Secrets, null, null, () => new Listed(OnSecretsListed), (_, secret) => OnSecretEvent(secret),
            loggers, new InformerOptions { VersionOnlyList = true }, "watch");

    public void Dispose() => _coalescer.Dispose();

    private static IEnumerable<string> SecretValues(IReadOnlyList<(string Namespace, string Name)> references) =>
        references.Select(r => new ObjectKey(r.Namespace, r.Name).ToString());

    private Controller? Controller(string kind)
    {
        lock (_gate)
        {
            return _controllers.TryGetValue(kind, out var entry) ? entry.Controller : null;
        }
    }

    private List<(Informer Informer, Controller Controller)> Sinks()
    {
        lock (_gate)
        {
            return SinkKinds.Where(_controllers.ContainsKey).Select(k => _controllers[k]).ToList();
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
            foreach (var scope in scopes.Where(s => s != ClusterScope))
            {
                foreach (var inventory in namespaced.Informer.ByIndex(ByNamespace, scope))
                {
                    namespaced.Controller.Queue.Add(ObjectKey.Of(inventory));
                }
            }
        }
    }

    /// <summary>A version-only LIST: nothing to take but its end.</summary>
    private sealed class Listed(Action complete) : IObjectListReceiver
    {
        public void Page(IReadOnlyList<JsonObject> items)
        {
        }

        public void Complete() => complete();
    }
}
