using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;

namespace Kollect.Operator.Runtime;

/// <summary>
/// Reflector plus cache for one resource (SPEC §7): LIST (paged), then WATCH from the list's
/// resourceVersion with bookmarks, resuming from the last seen version when a watch ends. On 410
/// Gone it relists and diffs against the cache, so objects that did not change produce no events
/// (no spurious reconciles or re-exports). Errors back off exponentially with jitter.
/// </summary>
public sealed class Informer
{
    private readonly KubeClient _client;
    private readonly string? _namespace;
    private readonly ListOptions _listOptions;
    private readonly InformerOptions _options;
    private readonly Action<InformerEventType, JsonObject> _onChange;
    private readonly Logger _log;
    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _cache = new(StringComparer.Ordinal);
    private volatile bool _synced;

    public Informer(
        KubeClient client, KubeResource resource, string? namespaceName, ListOptions? listOptions,
        Action<InformerEventType, JsonObject> onChange, Logger log, InformerOptions? options = null)
    {
        _client = client;
        Resource = resource;
        _namespace = namespaceName;
        _listOptions = listOptions ?? new ListOptions();
        _onChange = onChange;
        _options = options ?? new InformerOptions();
        _log = log.ForLogger($"informer.{resource.Plural}");
    }

    public KubeResource Resource { get; }

    /// <summary>True once the first LIST has filled the cache.</summary>
    public bool HasSynced => _synced;

    /// <summary>The resourceVersion the next watch starts from.</summary>
    public string? LastResourceVersion { get; private set; }

    /// <summary>How many times the informer has listed (the first list included).</summary>
    public int Lists { get; private set; }

    public JsonObject? Get(string key)
    {
        lock (_gate)
        {
            return _cache.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<JsonObject> List()
    {
        lock (_gate)
        {
            return [.. _cache.Values];
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var needList = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    var list = await _client.ListAllAsync(Resource, _namespace, _listOptions, cancellationToken, _options.PageSize).ConfigureAwait(false);
                    Lists++;
                    Replace(list.Items);
                    LastResourceVersion = list.ResourceVersion;
                    _synced = true;
                    needList = false;
                    failures = 0;
                    _log.Debug("listed", ("count", list.Items.Count), ("resourceVersion", list.ResourceVersion));
                }
                var started = DateTimeOffset.UtcNow;
                var events = 0;
                await foreach (var e in _client.WatchAsync(Resource, _namespace, LastResourceVersion, _listOptions, _options.WatchTimeoutSeconds, cancellationToken).ConfigureAwait(false))
                {
                    events++;
                    if (e.Type == "ERROR")
                    {
                        var status = e.Object.Deserialize(KubeJsonContext.Default.KubeStatus);
                        if (status?.Code == (int)HttpStatusCode.Gone || status?.Reason is "Expired" or "Gone")
                        {
                            _log.Info("watch expired (410); relisting", ("resourceVersion", LastResourceVersion));
                            needList = true;
                            break;
                        }
                        throw new KubeApiException((HttpStatusCode)(status?.Code ?? 500), "WATCH", Resource.CollectionPath(_namespace), status);
                    }
                    Apply(e);
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
                _log.Info("resourceVersion too old (410); relisting", ("resourceVersion", LastResourceVersion));
                needList = true;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or IOException or TimeoutException or JsonException or InvalidDataException)
            {
                _log.Warn("list/watch failed; backing off", ("resource", Resource.Plural), ("failures", failures + 1), ("error", e.Message));
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

    private void Apply(KubeWatchEvent e)
    {
        if (e.ResourceVersion is { Length: > 0 } rv)
        {
            LastResourceVersion = rv;
        }
        if (e.Type == "BOOKMARK")
        {
            return;
        }
        var key = KubeObjects.Key(e.Object);
        InformerEventType? change;
        lock (_gate)
        {
            switch (e.Type)
            {
                case "ADDED":
                case "MODIFIED":
                    var existed = _cache.TryGetValue(key, out var old);
                    _cache[key] = e.Object;
                    change = !existed ? InformerEventType.Added
                        : KubeObjects.ResourceVersion(old!) == e.ResourceVersion ? null
                        : InformerEventType.Modified;
                    break;
                case "DELETED":
                    change = _cache.Remove(key) ? InformerEventType.Deleted : null;
                    break;
                default:
                    _log.Warn("ignoring unknown watch event type", ("type", e.Type));
                    change = null;
                    break;
            }
        }
        if (change is { } c)
        {
            _onChange(c, e.Object);
        }
    }

    /// <summary>Replaces the cache with a fresh LIST and emits only real differences.</summary>
    private void Replace(IReadOnlyList<JsonObject> items)
    {
        var changes = new List<(InformerEventType, JsonObject)>();
        lock (_gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var key = KubeObjects.Key(item);
                seen.Add(key);
                if (!_cache.TryGetValue(key, out var old))
                {
                    changes.Add((InformerEventType.Added, item));
                }
                else if (KubeObjects.ResourceVersion(old) != KubeObjects.ResourceVersion(item))
                {
                    changes.Add((InformerEventType.Modified, item));
                }
                _cache[key] = item;
            }
            foreach (var key in _cache.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                changes.Add((InformerEventType.Deleted, _cache[key]));
                _cache.Remove(key);
            }
        }
        foreach (var (type, obj) in changes)
        {
            _onChange(type, obj);
        }
    }
}
