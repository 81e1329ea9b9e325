using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Feeds the <see cref="CollectionEngine"/> from the cluster (SPEC §3): one
/// <see cref="ObjectStream"/> per kind that some target needs — plural and scope from discovery,
/// shared by every target of that kind — started when the first target needs the kind and stopped
/// when the last one goes. A change that alters what targets select makes the affected streams
/// list again (the engine keeps rows, not objects). Every engine change is handed to
/// <c>onChange</c>, which turns it into inventory and target reconciles.
/// </summary>
public sealed partial class CollectionFeed
{
    private readonly KubeClient _client;
    private readonly CollectionEngine _engine;
    private readonly Action<CollectionChange> _onChange;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private readonly Dictionary<GroupVersionKind, KindFeed> _kinds = [];
    private CancellationToken _stopping = CancellationToken.None;
    private bool _running;

    public CollectionFeed(KubeClient client, CollectionEngine engine, Action<CollectionChange> onChange, ILoggerFactory loggers)
    {
        _client = client;
        _engine = engine;
        _onChange = onChange;
        _loggers = loggers;
        _log = loggers.CreateLogger("collection"); // not a Kollect field: a logger name
    }

    /// <summary>
    /// True when every kind the targets need has been listed since its last resync was asked for,
    /// or is known not to be served (its targets report that; it must not hold back every export).
    /// </summary>
    public bool IsCurrent
    {
        get
        {
            var wanted = _engine.WatchedKinds;
            lock (_gate)
            {
                return wanted.All(k => _kinds.TryGetValue(k, out var feed) && (feed.Unavailable is not null || feed.Stream?.IsCurrent == true));
            }
        }
    }

    /// <summary>Why a kind cannot be watched (not served by the API server), or null.</summary>
    public string? Unavailable(GroupVersionKind kind)
    {
        lock (_gate)
        {
            return _kinds.TryGetValue(kind, out var feed) ? feed.Unavailable : null;
        }
    }

    /// <summary>Starts watching; returns when <paramref name="stopping"/> fires and every stream has ended.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        lock (_gate)
        {
            _stopping = stopping;
            _running = true;
        }
        Reconcile(CollectionChange.None);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        Task[] running;
        lock (_gate)
        {
            _running = false;
            running = _kinds.Values.Select(k => k.Task).ToArray();
        }
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    /// <summary>
    /// A profile, target or cluster target event (other kinds are not the engine's): applied to the
    /// engine at once, so the engine never lags the caches, then reconciled.
    /// </summary>
    public void OnKollectEvent(string kind, InformerEventType type, JsonObject obj)
    {
        var deleted = type == InformerEventType.Deleted;
        switch (kind)
        {
            case KollectProfile.KindName:
                Reconcile(deleted
                    ? _engine.RemoveProfile(KubeObjects.Namespace(obj) ?? "", KubeObjects.Name(obj) ?? "")
                    : _engine.UpsertProfile(obj.Deserialize(KollectJsonContext.Default.KollectProfile)!));
                break;
            case KollectTarget.KindName:
                Reconcile(deleted
                    ? _engine.RemoveTarget(CollectionEngine.KeyOf(obj))
                    : _engine.UpsertTarget(obj.Deserialize(KollectJsonContext.Default.KollectTarget)!));
                break;
            case KollectClusterTarget.KindName:
                Reconcile(deleted
                    ? _engine.RemoveTarget(CollectionEngine.KeyOf(obj))
                    : _engine.UpsertTarget(obj.Deserialize(KollectJsonContext.Default.KollectClusterTarget)!));
                break;
        }
    }

    /// <summary>A namespace event: its labels steer which namespaces targets select.</summary>
    public void OnNamespaceEvent(InformerEventType type, JsonObject ns) =>
        Reconcile(type == InformerEventType.Deleted ? _engine.RemoveNamespace(KubeObjects.Name(ns) ?? "") : _engine.UpsertNamespace(ns));

    /// <summary>
    /// Takes an engine change: starts and stops streams as the watched kinds changed, asks for the
    /// replays, and passes the change on.
    /// </summary>
    public void Reconcile(CollectionChange change)
    {
        lock (_gate)
        {
            if (_running)
            {
                var wanted = _engine.WatchedKinds;
                foreach (var kind in wanted.Where(k => !_kinds.ContainsKey(k)))
                {
                    _kinds[kind] = Start(kind);
                }
                foreach (var kind in _kinds.Keys.Where(k => !wanted.Contains(k)).ToList())
                {
                    WatchStopped(_log, kind.ToString());
                    _kinds[kind].Stop.Cancel();
                    _kinds.Remove(kind);
                }
                foreach (var kind in change.KindsToReplay)
                {
                    if (_kinds.TryGetValue(kind, out var feed))
                    {
                        feed.Stream?.Resync();
                    }
                }
            }
        }
        if (!change.IsEmpty)
        {
            _onChange(change);
        }
    }

    private KindFeed Start(GroupVersionKind kind)
    {
        var feed = new KindFeed(CancellationTokenSource.CreateLinkedTokenSource(_stopping));
        feed.Task = Task.Run(() => RunKindAsync(kind, feed), CancellationToken.None);
        return feed;
    }

    private async Task RunKindAsync(GroupVersionKind kind, KindFeed feed)
    {
        var stop = feed.Stop.Token;
        var resource = await DiscoveryRetry.ResolveAsync(_client, kind, new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)), error =>
        {
            lock (_gate)
            {
                feed.Unavailable = error;
            }
            KindNotServed(_log, kind.ToString(), error);
        }, stop).ConfigureAwait(false);
        if (resource is null)
        {
            return;
        }
        var stream = new ObjectStream(_client, resource, null, null,
            () => new ReplayReceiver(_engine.BeginReplay(kind), Reconcile),
            (type, obj) => Reconcile(type == InformerEventType.Deleted
                ? _engine.DeleteObject(kind, KubeObjects.Namespace(obj) ?? "", KubeObjects.Name(obj) ?? "", KubeObjects.Uid(obj) ?? "")
                : _engine.ApplyObject(kind, obj)),
            _loggers);
        lock (_gate)
        {
            feed.Stream = stream;
            feed.Unavailable = null;
        }
        WatchingKind(_log, kind.ToString(), resource.Plural, resource.Namespaced);
        await stream.RunAsync(stop).ConfigureAwait(false);
    }

    private sealed class KindFeed(CancellationTokenSource stop)
    {
        public CancellationTokenSource Stop { get; } = stop;
        public Task Task { get; set; } = Task.CompletedTask;
        public ObjectStream? Stream { get; set; }
        public string? Unavailable { get; set; }
    }

    /// <summary>Feeds a LIST into the engine page by page: rows are derived, pages dropped.</summary>
    private sealed class ReplayReceiver(CollectionReplay replay, Action<CollectionChange> reconcile) : IObjectListReceiver
    {
        public void Page(IReadOnlyList<System.Text.Json.Nodes.JsonObject> items) => reconcile(replay.Add(items));

        public void Complete() => reconcile(replay.Complete());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "no target needs this kind any more; stopping its watch: {kind}")]
    private static partial void WatchStopped(ILogger logger, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "kind not served; its targets collect nothing until it is: {kind}: {error}")]
    private static partial void KindNotServed(ILogger logger, string kind, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "watching kind for targets: {kind} as {resource}, namespaced {namespaced}")]
    private static partial void WatchingKind(ILogger logger, string kind, string resource, bool namespaced);
}
