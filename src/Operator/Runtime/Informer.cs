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
/// Declared indexes (<see cref="AddIndex"/>, after client-go's indexers) answer "which cached
/// objects have this value" without a scan, so routes map a change to keys in O(matches).
/// </summary>
public sealed partial class Informer
{
    private readonly ObjectStream _stream;
    private readonly Action<InformerEventType, JsonObject> _onChange;
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, JsonObject> _cache = [];
    private readonly Dictionary<string, Index> _indexes = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Takes an object this process has just written — the API server's answer to its update or
    /// patch — into the cache ahead of the watch event, so the next reconcile reads what it wrote
    /// (client-go's mutation cache, without a second cache). Only while the cache still holds
    /// <paramref name="replacedResourceVersion"/>, the version the write was based on: a newer
    /// event already in is never overwritten. No event is emitted, and the watch event carrying the
    /// written version is then no change. Returns whether the cache took it.
    /// </summary>
    public bool Wrote(JsonObject written, string? replacedResourceVersion)
    {
        var key = ObjectKey.Of(written);
        lock (_gate)
        {
            if (!_cache.TryGetValue(key, out var cached) || KubeObjects.ResourceVersion(cached) != replacedResourceVersion)
            {
                return false;
            }
            Set(key, written);
            return true;
        }
    }

    /// <summary>
    /// Declares an index: <paramref name="values"/> gives an object's values (pure, from the object
    /// alone). Objects already cached are indexed at once; every later change keeps it current.
    /// </summary>
    public void AddIndex(string name, Func<JsonObject, IEnumerable<string>> values)
    {
        lock (_gate)
        {
            if (_indexes.ContainsKey(name))
            {
                throw new InvalidOperationException($"informer of {Resource.Plural} already has an index named {name}");
            }
            var index = new Index(values);
            foreach (var (key, obj) in _cache)
            {
                index.Add(key, obj);
            }
            _indexes[name] = index;
        }
    }

    /// <summary>The cached objects whose index <paramref name="name"/> holds <paramref name="value"/>.</summary>
    public IReadOnlyList<JsonObject> ByIndex(string name, string value)
    {
        lock (_gate)
        {
            return IndexNamed(name).Keys(value).Select(k => _cache[k]).ToList();
        }
    }

    /// <summary>The cached objects with at least one value in index <paramref name="name"/>.</summary>
    public IReadOnlyList<JsonObject> Indexed(string name)
    {
        lock (_gate)
        {
            return IndexNamed(name).AllKeys().Select(k => _cache[k]).ToList();
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
                change = Remove(key) ? InformerEventType.Deleted : null;
            }
            else
            {
                var existed = _cache.TryGetValue(key, out var old);
                Set(key, obj);
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
                Set(key, item);
            }
            foreach (var key in _cache.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                changes.Add((InformerEventType.Deleted, _cache[key]));
                Remove(key);
            }
        }
        foreach (var (type, obj) in changes)
        {
            _onChange(type, obj);
        }
    }

    // Under _gate: the cache and every index change together.
    private void Set(ObjectKey key, JsonObject obj)
    {
        if (_cache.TryGetValue(key, out var old))
        {
            foreach (var index in _indexes.Values)
            {
                index.Remove(key, old);
            }
        }
        _cache[key] = obj;
        foreach (var index in _indexes.Values)
        {
            index.Add(key, obj);
        }
    }

    private bool Remove(ObjectKey key)
    {
        if (!_cache.Remove(key, out var old))
        {
            return false;
        }
        foreach (var index in _indexes.Values)
        {
            index.Remove(key, old);
        }
        return true;
    }

    private Index IndexNamed(string name) =>
        _indexes.TryGetValue(name, out var index) ? index : throw new InvalidOperationException($"informer of {Resource.Plural} has no index named {name}");

    /// <summary>One declared index: value → keys of the cached objects that have it.</summary>
    private sealed class Index(Func<JsonObject, IEnumerable<string>> values)
    {
        private readonly Dictionary<string, HashSet<ObjectKey>> _keys = new(StringComparer.Ordinal);

        public void Add(ObjectKey key, JsonObject obj)
        {
            foreach (var value in values(obj))
            {
                if (!_keys.TryGetValue(value, out var keys))
                {
                    _keys[value] = keys = [];
                }
                keys.Add(key);
            }
        }

        public void Remove(ObjectKey key, JsonObject obj)
        {
            foreach (var value in values(obj))
            {
                if (_keys.TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    _keys.Remove(value);
                }
            }
        }

        public IEnumerable<ObjectKey> Keys(string value) => _keys.TryGetValue(value, out var keys) ? keys : [];

        public IEnumerable<ObjectKey> AllKeys() => _keys.Values.SelectMany(k => k).Distinct();
    }

    /// <summary>Gathers a LIST's pages: the cache diff needs all of it (these kinds are small).</summary>
    private sealed class WholeList(Action<IReadOnlyList<JsonObject>> replace) : IObjectListReceiver
    {
        private readonly List<JsonObject> _items = [];

        public void Page(IReadOnlyList<JsonObject> items) => _items.AddRange(items);

        public void Complete() => replace(_items);
    }
}
