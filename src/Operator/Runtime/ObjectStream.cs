using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Runtime;

/// <summary>
/// List + watch of one resource that keeps no objects (SPEC §3: the collector holds rows only).
/// Every LIST — the first, the one after a <c>410 Gone</c>, and one asked for with
/// <see cref="Resync"/> when a target's selection changed — goes page by page to a fresh
/// receiver from <c>beginList</c>, which replaces what it derived before; watch events go to
/// <c>onEvent</c> one by one. The receiver tells real changes from replays itself (by the rows it derives), so a relist
/// of unchanged objects leads to no export. Errors back off exponentially with jitter.
/// </summary>
public sealed partial class ObjectStream
{
    private readonly KubeClient _client;
    private readonly string? _namespace;
    private readonly ListOptions _listOptions;
    private readonly Func<IObjectListReceiver> _beginList;
    private readonly Action<InformerEventType, JsonObject> _onEvent;
    private readonly InformerOptions _options;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private CancellationTokenSource? _watching;
    private int _resyncRequests;
    private int _resyncsListed;
    private volatile bool _synced;

    public ObjectStream(
        KubeClient client, KubeResource resource, string? namespaceName, ListOptions? listOptions,
        Func<IObjectListReceiver> beginList, Action<InformerEventType, JsonObject> onEvent, ILoggerFactory loggers,
        InformerOptions? options = null, string loggerName = "objects")
    {
        _client = client;
        Resource = resource;
        _namespace = namespaceName;
        _listOptions = listOptions ?? new ListOptions();
        _beginList = beginList;
        _onEvent = onEvent;
        _options = options ?? new InformerOptions();
        _log = loggers.CreateLogger($"{loggerName}.{resource.Plural}");
    }

    public KubeResource Resource { get; }

    /// <summary>True once the first LIST has been handed over.</summary>
    public bool HasSynced => _synced;

    /// <summary>How many LISTs have been handed over (the first included).</summary>
    public int Lists { get; private set; }

    /// <summary>The resourceVersion the next watch starts from.</summary>
    public string? LastResourceVersion { get; private set; }

    /// <summary>
    /// True when the last LIST handed over started after every <see cref="Resync"/> asked so far:
    /// what the receiver derived reflects its current selection.
    /// </summary>
    public bool IsCurrent
    {
        get
        {
            lock (_gate)
            {
                return _synced && _resyncsListed == _resyncRequests;
            }
        }
    }

    /// <summary>Asks for a fresh LIST as soon as possible (the current watch is ended).</summary>
    public void Resync()
    {
        lock (_gate)
        {
            _resyncRequests++;
            _watching?.Cancel();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            int requestsSeen;
            lock (_gate)
            {
                requestsSeen = _resyncRequests;
            }
            try
            {
                if (needList)
                {
                    var receiver = _beginList();
                    var options = _listOptions with { Limit = _options.VersionOnlyList ? 1 : _options.PageSize, Continue = null };
                    var count = 0;
                    while (true)
                    {
                        var page = await _client.ListPageAsync(Resource, _namespace, options, cancellationToken).ConfigureAwait(false);
                        LastResourceVersion = page.ResourceVersion;
                        if (_options.VersionOnlyList)
                        {
                            break;
                        }
                        receiver.Page(page.Items);
                        count += page.Items.Count;
                        if (page.Continue is null)
                        {
                            break;
                        }
                        options = options with { Continue = page.Continue };
                    }
                    receiver.Complete();
                    Lists++;
                    lock (_gate)
                    {
                        _resyncsListed = requestsSeen;
                    }
                    _synced = true;
                    needList = false;
                    failures = 0;
                    Listed(_log, count, LastResourceVersion);
                }
                using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                lock (_gate)
                {
                    if (_resyncRequests != requestsSeen)
                    {
                        // A resync was asked for while listing: that list may predate the new selection.
                        needList = true;
                        continue;
                    }
                    _watching = watching;
                }
                var started = DateTimeOffset.UtcNow;
                var events = 0;
                try
                {
                    await foreach (var e in _client.WatchAsync(Resource, _namespace, LastResourceVersion, _listOptions, _options.WatchTimeoutSeconds, watching.Token).ConfigureAwait(false))
                    {
                        events++;
                        if (e.ResourceVersion is { Length: > 0 } rv)
                        {
                            LastResourceVersion = rv;
                        }
                        switch (e.Type)
                        {
                            case "ERROR":
                                var status = e.Object.Deserialize(KubeJsonContext.Default.V1Status);
                                if (status?.Code == (int)HttpStatusCode.Gone || status?.Reason is "Expired" or "Gone")
                                {
                                    WatchExpired(_log, LastResourceVersion);
                                    needList = true;
                                    break;
                                }
                                throw new KubeApiException((HttpStatusCode)(status?.Code ?? 500), "WATCH", Resource.CollectionPath(_namespace), status);
                            case "ADDED":
                                _onEvent(InformerEventType.Added, e.Object);
                                break;
                            case "MODIFIED":
                                _onEvent(InformerEventType.Modified, e.Object);
                                break;
                            case "DELETED":
                                _onEvent(InformerEventType.Deleted, e.Object);
                                break;
                            case "BOOKMARK":
                                break;
                            default:
                                UnknownEventType(_log, e.Type);
                                break;
                        }
                        if (needList)
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    ResyncRequested(_log);
                    needList = true;
                    continue;
                }
                finally
                {
                    lock (_gate)
                    {
                        _watching = null;
                    }
                }
                // A watch that ends at once and empty is a failure in disguise: back off rather than spin.
                if (!needList && events == 0 && DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(1))
                {
                    await DelayAsync(failures++, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    failures = 0;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException e) when (e.IsGone)
            {
                ResourceVersionTooOld(_log, LastResourceVersion);
                needList = true;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or TimeoutException or JsonException or InvalidDataException)
            {
                ListWatchFailed(_log, Resource.Plural, failures + 1, e.Message);
                try
                {
                    await DelayAsync(failures++, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private Task DelayAsync(int failures, CancellationToken cancellationToken) =>
        Task.Delay(_options.Backoff.DelayWithJitter(failures), cancellationToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "listed {count} objects at resourceVersion {resourceVersion}")]
    private static partial void Listed(ILogger logger, int count, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "watch expired (410); relisting from resourceVersion {resourceVersion}")]
    private static partial void WatchExpired(ILogger logger, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignoring unknown watch event type {type}")]
    private static partial void UnknownEventType(ILogger logger, string type);

    [LoggerMessage(Level = LogLevel.Debug, Message = "resync requested; relisting")]
    private static partial void ResyncRequested(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "resourceVersion too old (410); relisting from {resourceVersion}")]
    private static partial void ResourceVersionTooOld(ILogger logger, string? resourceVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "list/watch failed; backing off: {resource} failure {failures}: {error}")]
    private static partial void ListWatchFailed(ILogger logger, string resource, int failures, string error);
}
