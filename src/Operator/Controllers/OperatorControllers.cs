using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// The leader's work in operator mode (SPEC §7): one informer and controller per Kollect kind, a
/// namespace informer and the collection feed. Run by <c>Hosting.ControllerService</c> on every
/// replica; the controllers work only during a leadership term, while the informers and the
/// collection stay warm on a standby and across a lost lease, and each new term requeues every
/// object (issue #13). Stopping drains in-flight reconciles up to the shutdown timeout.
/// </summary>
public sealed partial class OperatorControllers
{
    private readonly KubeClient _client;
    private readonly OperatorOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly MetricsRegistry _metrics;
    private readonly EventSinkGateway _gateway;
    private readonly string _identity;
    private readonly SemanticValidator _validator;
    private readonly List<Informer> _informers = [];
    private readonly object _gate = new();
    private readonly DatabaseSinkGateway _databaseGateway;
    private readonly Leadership _leadership;
    private readonly List<(Informer Informer, Controller Controller)> _controllers = [];
    private Informer? _sinkInformer;
    private Informer? _databaseSinkInformer;
    private Informer? _namespaceInformer;
    private volatile bool _running;

    public OperatorControllers(
        KubeClient client,
        OperatorOptions options,
        MetricsRegistry metrics,
        EventSinkGateway gateway,
        DatabaseSinkGateway databaseGateway,
        OperatorIdentity identity,
        ILoggerFactory loggers,
        Leadership leadership)
    {
        _leadership = leadership;
        leadership.OnTermBegan(Resync);
        _databaseGateway = databaseGateway;
        _client = client;
        _options = options;
        _metrics = metrics;
        _gateway = gateway;
        _identity = identity.Name;
        _loggers = loggers;
        _log = loggers.CreateLogger("kollect");
        _validator = new SemanticValidator(
            SemanticRuleSet.Standard(options.EndpointPolicy),
            SemanticValidationOptions.Default);
    }

    /// <summary>True once every informer has listed once (asked only while leading).</summary>
    public bool IsReady
    {
        get
        {
            lock (_gate)
            {
                return _running && _informers.Count == KollectKinds.All.Count && _informers.All(i => i.HasSynced);
            }
        }
    }

    /// <summary>
    /// The leader's work, until <paramref name="stopping"/>: an informer and controller for every
    /// Kollect kind, a namespace informer, and the collection feed (one stream per kind that targets
    /// collect) whose row changes reach the inventories through <see cref="Routing"/>.
    /// </summary>
    public async Task LeadAsync(CancellationToken stopping)
    {
        var client = _client;
        using var abort = new CancellationTokenSource();
        using var drain = stopping.Register(() => abort.CancelAfter(_options.ShutdownTimeout));
        _running = true;
        var resolverOptions = new EventSinkResolverOptions
        {
            EndpointPolicy = _options.EndpointPolicy,
            AllowCrossNamespaceSecrets = _options.AllowCrossNamespaceSecrets,
        };
        var sinks = new OperatorSinkDirectory(client, resolverOptions, key => Volatile.Read(ref _sinkInformer)?.Get(key));
        var databaseSinks = new OperatorDatabaseSinkDirectory(client, resolverOptions, key => Volatile.Read(ref _databaseSinkInformer)?.Get(key));
        var engine = new CollectionEngine();
        using var routing = new Routing();
        var feed = new CollectionFeed(client, engine, routing.OnEngineChange, _loggers);
        var namespaces = new Informer(client, KubeResource.Namespaces, null, null, (type, ns) =>
        {
            feed.OnNamespaceEvent(type, ns);
            routing.OnNamespaceEvent();
        }, _loggers);
        lock (_gate)
        {
            _namespaceInformer = namespaces;
        }
        var leader = new LeaderContext(
            sinks,
            databaseSinks,
            engine,
            feed,
            routing,
            new InventoryExporter(_gateway, new InventoryExportOptions
            {
                ClusterName = _options.ClusterName,
                OperatorMaxExportBytes = _options.MaxExportBytes,
            }, _metrics, databases: _databaseGateway, reliability: _options.SinkReliability, mayPublish: () => _leadership.MayAct),
            new SinkRefLanes(),
            new EventRecorder(client, _identity, _loggers),
            () => CollectionCurrent(feed));
        // The kinds, groups and versions come from the generated CRD metadata; plurals and scope are
        // still resolved through discovery, which is what the cluster actually serves.
        var tasks = KollectKinds.All
            .Select(k => RunKindAsync(client, new GroupVersionKind(k.Group, k.Version, k.Kind), leader, stopping, abort.Token))
            .Append(namespaces.RunAsync(stopping))
            .Append(feed.RunAsync(stopping))
            .Append(routing.SecretStream(client, _loggers).RunAsync(stopping))
            .ToArray();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        finally
        {
            _running = false;
            lock (_gate)
            {
                _informers.Clear();
                _controllers.Clear();
            }
        }
    }

    /// <summary>
    /// A new term: every object of every kind is reconciled again, without backoff. Whatever the
    /// last term left undone (a cancelled export, a status patch that failed while the API server
    /// was away) is redone; the debounce keeps what the sinks already have from being sent again.
    /// </summary>
    private void Resync()
    {
        List<(Informer Informer, Controller Controller)> pairs;
        lock (_gate)
        {
            pairs = [.. _controllers];
        }
        foreach (var (informer, controller) in pairs)
        {
            foreach (var obj in informer.List())
            {
                var key = ObjectKey.Of(obj);
                controller.Queue.Forget(key);
                controller.Queue.Add(key);
            }
        }
        TermResynced(_log, pairs.Sum(p => p.Informer.List().Count));
    }

    /// <summary>
    /// True when the engine has heard every profile, target, namespace and sink, and every kind the
    /// targets collect has been listed: only then are rows complete enough to export or count.
    /// </summary>
    private bool CollectionCurrent(CollectionFeed feed)
    {
        lock (_gate)
        {
            var configuration = _informers.Where(i => i.Resource.Kind is KollectProfile.KindName or KollectTarget.KindName
                or KollectClusterTarget.KindName or KollectEventSink.KindName or KollectDatabaseSink.KindName).ToList();
            if (configuration.Count < 5 || !configuration.All(i => i.HasSynced) || _namespaceInformer?.HasSynced != true)
            {
                return false;
            }
        }
        return feed.IsCurrent;
    }

    private async Task RunKindAsync(KubeClient client, GroupVersionKind kind, LeaderContext leader, CancellationToken stopping, CancellationToken abort)
    {
        var resource = await ResolveAsync(client, kind, stopping).ConfigureAwait(false);
        if (resource is null)
        {
            return;
        }
        Informer? informer = null;
        Controller? controller = null;
        informer = new Informer(client, resource, null, null, (type, obj) =>
        {
            // The engine hears of profiles and targets before their own controllers do, so an
            // inventory reconcile never sees a target the engine does not know yet.
            leader.Feed.OnKollectEvent(resource.Kind, type, obj);
            leader.Routing.OnKollectEvent(resource.Kind, obj);
        }, _loggers);
        controller = new Controller(
            resource.Plural, CreateReconciler(client, resource, informer, leader, key => controller!.Queue.Add(key)), 2, _loggers, _metrics, leadership: _leadership,
            retryBackoff: resource.Kind is KollectInventory.KindName or KollectClusterInventory.KindName ? InventoryExporter.RetryBackoff : null);
        leader.Routing.Attach(resource.Kind, informer, controller);
        lock (_gate)
        {
            _informers.Add(informer);
            _controllers.Add((informer, controller));
        }
        if (resource.Kind == KollectEventSink.KindName)
        {
            Volatile.Write(ref _sinkInformer, informer);
        }
        else if (resource.Kind == KollectDatabaseSink.KindName)
        {
            Volatile.Write(ref _databaseSinkInformer, informer);
        }
        var informing = informer.RunAsync(stopping);
        await controller.RunAsync(stopping, abort).ConfigureAwait(false);
        await informing.ConfigureAwait(false);
    }

    /// <summary>The reconciler of one kind; profiles only report whether they are valid.</summary>
    private IReconciler CreateReconciler(KubeClient client, KubeResource resource, Informer informer, LeaderContext leader, Action<ObjectKey> requeue) => resource.Kind switch
    {
        KollectEventSink.KindName => new EventSinkReconciler(client, resource, informer, leader.Sinks, _gateway, leader.Events, _metrics, _loggers),
        KollectDatabaseSink.KindName => new DatabaseSinkReconciler(
            client, resource, informer, leader.DatabaseSinks, _databaseGateway, _validator, leader.Events, _metrics, _loggers),
        KollectConnectionTest.KindName => new ConnectionTestReconciler(
            client, resource, informer, leader.Sinks, _gateway, _metrics, _loggers, databaseDirectory: leader.DatabaseSinks, databaseGateway: _databaseGateway),
        KollectInventory.KindName or KollectClusterInventory.KindName => new InventoryReconciler(
            client, resource, informer, leader.Engine, leader.CollectionCurrent, leader.Exporter, leader.Sinks.FindAsync, leader.DatabaseSinks.FindAsync, leader.Events, _loggers, leader.Lanes, requeue),
        KollectTarget.KindName or KollectClusterTarget.KindName => new TargetReconciler(
            client, resource, informer, leader.Engine, leader.CollectionCurrent, _loggers),
        _ => new AcknowledgingReconciler(client, resource, informer, _validator, _loggers),
    };

    /// <summary>What the leader's controllers share.</summary>
    private sealed record LeaderContext(
        OperatorSinkDirectory Sinks,
        OperatorDatabaseSinkDirectory DatabaseSinks,
        CollectionEngine Engine,
        CollectionFeed Feed,
        Routing Routing,
        InventoryExporter Exporter,
        SinkRefLanes Lanes,
        EventRecorder Events,
        Func<bool> CollectionCurrent);

    /// <summary>Discovery of one kind, retried until its CRD is served (it may be installed after the operator).</summary>
    private Task<KubeResource?> ResolveAsync(KubeClient client, GroupVersionKind kind, CancellationToken stopping) =>
        DiscoveryRetry.ResolveAsync(client, kind, new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)),
            error => KindNotServedYet(_log, kind.ToString(), error), stopping);

    [LoggerMessage(Level = LogLevel.Information, Message = "leadership term began; {objects} object(s) requeued from the warm caches")]
    private static partial void TermResynced(ILogger logger, int objects);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kind not served yet; retrying: {kind}: {error}")]
    private static partial void KindNotServedYet(ILogger logger, string kind, string error);
}
