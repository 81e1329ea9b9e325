using System.Net;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Cli;
using Kollect.Operator.Collect;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Kollect.Operator.Validation;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Operator mode (SPEC §7): probes and metrics first (so liveness answers at once), then the
/// client, then — behind the leader lease when enabled — one informer and controller per Kollect
/// kind. Stopping (SIGTERM) drains in-flight reconciles up to the shutdown timeout and releases
/// the lease. Returns the process exit code.
/// </summary>
public sealed class OperatorRunner
{
    private readonly RunOptions _options;
    private readonly Logger _log;
    private readonly MetricsRegistry _metrics = new();
    private readonly SemanticValidator _validator;
    private readonly List<Informer> _informers = [];
    private readonly object _gate = new();
    private readonly string _identity = $"{Dns.GetHostName()}_{Guid.NewGuid():N}";
    private LeaderElector? _elector;
    private EventSinkGateway? _gateway;
    private DatabaseSinkGateway? _databaseGateway;
    private Informer? _sinkInformer;
    private Informer? _databaseSinkInformer;
    private Informer? _namespaceInformer;
    private volatile bool _leading;

    public OperatorRunner(RunOptions options, Logger log)
    {
        _options = options;
        _log = log;
        _validator = new SemanticValidator(
            SemanticRuleSet.Standard(new EndpointPolicy(options.AllowPrivateSinks, options.AllowLoopbackSinks)),
            SemanticValidationOptions.Default);
    }

    public MetricsRegistry Metrics => _metrics;

    /// <summary>
    /// Ready when this replica is a standby (leader election on, lease not held), or when it
    /// leads and every informer has listed once.
    /// </summary>
    public bool IsReady
    {
        get
        {
            if (_elector is not null && !_elector.IsLeader)
            {
                return true;
            }
            lock (_gate)
            {
                return _leading && _informers.Count == KollectKinds.All.Count && _informers.All(i => i.HasSynced);
            }
        }
    }

    public async Task<int> RunAsync(CancellationToken stopping)
    {
        var health = Bind(_options.HealthProbeBindAddress, "--health-probe-bind-address", path => path switch
        {
            "/healthz" or "/livez" => ProbeResponse.Text(200, "ok\n"),
            "/readyz" => IsReady ? ProbeResponse.Text(200, "ok\n") : ProbeResponse.Text(503, "caches not synced\n"),
            _ => ProbeResponse.Text(404, "not found\n"),
        });
        var metrics = Bind(_options.MetricsBindAddress, "--metrics-bind-address", path => path == "/metrics"
            ? new ProbeResponse(200, "text/plain; version=0.0.4; charset=utf-8", _metrics.Render())
            : ProbeResponse.Text(404, "not found\n"));
        try
        {
            KubeClientConfig config;
            try
            {
                config = KubeConfigLoader.Load(_options.Kubeconfig, _options.Context);
            }
            catch (Exception e) when (e is KubeConfigException or IOException or System.Security.Cryptography.CryptographicException)
            {
                _log.Error("cannot load the Kubernetes configuration", ("error", e.Message));
                return 2;
            }
            using var client = new KubeClient(config);
            await using var gateway = new EventSinkGateway(line => _log.Warn("kafka client", ("detail", line)));
            _gateway = gateway;
            await using var databaseGateway = new DatabaseSinkGateway();
            _databaseGateway = databaseGateway;
            _log.Info("operator starting", ("server", config.Server.ToString()), ("config", config.Source),
                ("leaderElect", _options.LeaderElect), ("health", health?.EndPoint.ToString()), ("metrics", metrics?.EndPoint.ToString()));
            if (!_options.LeaderElect)
            {
                await LeadAsync(client, stopping).ConfigureAwait(false);
                _log.Info("operator stopped");
                return 0;
            }
            _elector = new LeaderElector(client, new LeaderElectionOptions
            {
                Namespace = _options.LeaderElectionNamespace,
                LeaseName = _options.LeaderElectionId,
                Identity = _identity,
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.RetryPeriod,
            }, _log, _metrics);
            var lost = await _elector.RunAsync(ct => LeadAsync(client, ct), stopping).ConfigureAwait(false);
            if (lost)
            {
                // As controller-runtime: a replica that lost the lease exits and is restarted as a standby.
                _log.Error("leadership lost; exiting");
                return 1;
            }
            _log.Info("operator stopped");
            return 0;
        }
        finally
        {
            if (health is not null)
            {
                await health.DisposeAsync().ConfigureAwait(false);
            }
            if (metrics is not null)
            {
                await metrics.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The leader's work, until <paramref name="stopping"/>: an informer and controller for every
    /// Kollect kind, a namespace informer, and the collection feed (one stream per kind that targets
    /// collect) whose row changes reach the inventories through <see cref="CollectionRouting"/>.
    /// </summary>
    private async Task LeadAsync(KubeClient client, CancellationToken stopping)
    {
        using var abort = new CancellationTokenSource();
        using var drain = stopping.Register(() => abort.CancelAfter(_options.ShutdownTimeout));
        _leading = true;
        var resolverOptions = new EventSinkResolverOptions
        {
            EndpointPolicy = new EndpointPolicy(_options.AllowPrivateSinks, _options.AllowLoopbackSinks),
            AllowCrossNamespaceSecrets = _options.AllowCrossNamespaceSecrets,
        };
        var sinks = new OperatorSinkDirectory(client, resolverOptions, key => Volatile.Read(ref _sinkInformer)?.Get(key));
        var databaseSinks = new OperatorDatabaseSinkDirectory(client, resolverOptions, key => Volatile.Read(ref _databaseSinkInformer)?.Get(key));
        var engine = new CollectionEngine();
        CollectionFeed? feed = null;
        using var routing = new CollectionRouting(engine, () => feed!);
        feed = new CollectionFeed(client, engine, routing.OnEngineChange, _log);
        var namespaces = new Informer(client, KubeResource.Namespaces, null, null, routing.OnNamespaceEvent, _log);
        lock (_gate)
        {
            _namespaceInformer = namespaces;
        }
        var leader = new LeaderContext(
            sinks,
            databaseSinks,
            engine,
            routing,
            new InventoryExporter(_gateway!, new InventoryExportOptions
            {
                ClusterName = _options.ClusterName,
                OperatorMaxExportBytes = _options.MaxExportBytes,
            }, _metrics, databases: _databaseGateway),
            new EventRecorder(client, _identity, _log),
            () => CollectionCurrent(feed));
        // The kinds, groups and versions come from the generated CRD metadata; plurals and scope are
        // still resolved through discovery, which is what the cluster actually serves.
        var tasks = KollectKinds.All
            .Select(k => RunKindAsync(client, new GroupVersionKind(k.Group, k.Version, k.Kind), leader, stopping, abort.Token))
            .Append(namespaces.RunAsync(stopping))
            .Append(feed.RunAsync(stopping))
            .ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        _leading = false;
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
            leader.Routing.OnKollectEvent(resource.Kind, type, obj);
            controller!.Queue.Add(KubeObjects.Key(obj));
        }, _log);
        controller = new Controller(resource.Plural, CreateReconciler(client, resource, informer, leader), 2, _log, _metrics);
        leader.Routing.Attach(resource.Kind, informer, controller);
        lock (_gate)
        {
            _informers.Add(informer);
        }
        var informing = informer.RunAsync(stopping);
        var watchingSecrets = Task.CompletedTask;
        if (resource.Kind == KollectEventSink.KindName)
        {
            Volatile.Write(ref _sinkInformer, informer);
            watchingSecrets = new SinkSecretWatch(client, informer.List, key => controller.Queue.Add(key), _log).RunAsync(stopping);
        }
        else if (resource.Kind == KollectDatabaseSink.KindName)
        {
            Volatile.Write(ref _databaseSinkInformer, informer);
            watchingSecrets = new SinkSecretWatch(client, informer.List, key => controller.Queue.Add(key), _log, OperatorDatabaseSinkDirectory.SecretReferences).RunAsync(stopping);
        }
        await controller.RunAsync(stopping, abort).ConfigureAwait(false);
        await informing.ConfigureAwait(false);
        await watchingSecrets.ConfigureAwait(false);
    }

    /// <summary>The reconciler of one kind; profiles only report whether they are valid.</summary>
    private IReconciler CreateReconciler(KubeClient client, KubeResource resource, Informer informer, LeaderContext leader) => resource.Kind switch
    {
        KollectEventSink.KindName => new EventSinkReconciler(client, resource, informer, leader.Sinks, _gateway!, leader.Events, _metrics, _log),
        KollectDatabaseSink.KindName => new DatabaseSinkReconciler(
            client, resource, informer, leader.DatabaseSinks, _databaseGateway!, _validator, leader.Events, _metrics, _log),
        KollectConnectionTest.KindName => new ConnectionTestReconciler(
            client, resource, informer, leader.Sinks, _gateway!, _metrics, _log, databaseDirectory: leader.DatabaseSinks, databaseGateway: _databaseGateway),
        KollectInventory.KindName or KollectClusterInventory.KindName => new InventoryReconciler(
            client, resource, informer, leader.Engine, leader.CollectionCurrent, leader.Exporter, leader.Sinks.FindAsync, leader.DatabaseSinks.FindAsync, leader.Events, _log),
        KollectTarget.KindName or KollectClusterTarget.KindName => new TargetReconciler(
            client, resource, informer, leader.Engine, leader.CollectionCurrent, _log),
        _ => new AcknowledgingReconciler(client, resource, informer, _validator, _log),
    };

    /// <summary>What the leader's controllers share.</summary>
    private sealed record LeaderContext(
        OperatorSinkDirectory Sinks,
        OperatorDatabaseSinkDirectory DatabaseSinks,
        CollectionEngine Engine,
        CollectionRouting Routing,
        InventoryExporter Exporter,
        EventRecorder Events,
        Func<bool> CollectionCurrent);

    /// <summary>Discovery of one kind, retried until its CRD is served (it may be installed after the operator).</summary>
    private async Task<KubeResource?> ResolveAsync(KubeClient client, GroupVersionKind kind, CancellationToken stopping)
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        for (var attempt = 0; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                return await client.Discovery.ResolveAsync(kind, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (e is KubeConfigException or KubeApiException or HttpRequestException or TimeoutException)
            {
                _log.Warn("kind not served yet; retrying", ("kind", kind.ToString()), ("error", e.Message));
                try
                {
                    await Task.Delay(backoff.DelayWithJitter(attempt), stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
        return null;
    }

    private ProbeServer? Bind(string address, string setting, Func<string, ProbeResponse> route)
    {
        IPEndPoint? endPoint;
        try
        {
            endPoint = ProbeServer.ParseBindAddress(address);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{setting}: {e.Message}", e);
        }
        return endPoint is null ? null : ProbeServer.Start(endPoint, route);
    }
}
