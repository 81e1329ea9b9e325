using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Runtime;

/// <summary>
/// An <see cref="ObjectStream"/> plus a cache of the objects (SPEC §7), for the small kinds the
/// controllers re-read (Kollect objects, namespaces). On a relist — after 410 Gone or a resync —
/// it diffs against the cache, so objects that did not change produce no events (no spurious
/// reconciles or re-exports); a watch event carrying the resourceVersion already cached is no change.
/// </summary>
public sealed partial class Informer
{
    private readonly ObjectStream _stream;
    private readonly Action<InformerEventType, JsonObject> _onChange;
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, JsonObject> _cache = [];

    public Informer(
        KubeClient client, KubeResource resource, string? namespaceName, ListOptions? listOptions,
        Action<InformerEventType, JsonObject> onChange, ILoggerFactory loggers, InformerOptions? options = null)
    {
        _onChange = onChange;
        _stream = new ObjectStream(client, resource, namespaceName, listOptions, () => new WholeList(Replace), Apply, loggers, options, "informer");
    }

    public KubeResource Resource => _stream.Resource;

    /// <summary>True once the first LIST has filled the cache.</summary>
    public bool HasSynced => _stream.HasSynced;

    /// <summary>The resourceVersion the next watch starts from.</summary>
    public string? LastResourceVersion => _stream.LastResourceVersion;

    /// <summary>How many times the informer has listed (the first list included).</summary>
    public int Lists => _stream.Lists;

    public JsonObject? Get(ObjectKey key)
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

    public Task RunAsync(CancellationToken cancellationToken) => _stream.RunAsync(cancellationToken);

    private void Apply(InformerEventType type, JsonObject obj)
    {
        var key = ObjectKey.Of(obj);
        InformerEventType? change;
        lock (_gate)
        {
            if (type == InformerEventType.Deleted)
            {
                change = _cache.Remove(key) ? InformerEventType.Deleted : null;
            }
            else
            {
                var existed = _cache.TryGetValue(key, out var old);
                _cache[key] = obj;
                change = !existed ? InformerEventType.Added
                    : KubeObjects.ResourceVersion(old!) == KubeObjects.ResourceVersion(obj) ? null
                    : InformerEventType.Modified;
            }
        }
        if (change is { } c)
        {
            _onChange(c, obj);
        }
    }

    /// <summary>Replaces the cache with a fresh LIST and emits only real differences.</summary>
    private void Replace(IReadOnlyList<JsonObject> items)
    {
        var changes = new List<(InformerEventType, JsonObject)>();
        lock (_gate)
        {
            var seen = new HashSet<ObjectKey>();
            foreach (var item in items)
            {
                var key = ObjectKey.Of(item);
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

    /// <summary>Gathers a LIST's pages: the cache diff needs all of it (these kinds are small).</summary>
    private sealed class WholeList(Action<IReadOnlyList<JsonObject>> replace) : IObjectListReceiver
    {
        private readonly List<JsonObject> _items = [];

        public void Page(IReadOnlyList<JsonObject> items) => _items.AddRange(items);

        public void Complete() => replace(_items);
    }
}
