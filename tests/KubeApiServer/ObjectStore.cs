using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// The in-memory store: objects per group/resource, one global increasing resourceVersion, and
/// a bounded history of events from which watches resume. A watch from a resourceVersion older
/// than the history answers 410 Expired, as kube-apiserver does after etcd compaction.
/// All writes run under one lock: read-modify-write handlers are atomic.
/// Each resource keeps its objects in an ordered index by namespace/name key, so a LIST page seeks
/// to its continue key and reads only the page (issue #14: 100k objects were re-copied per page).
/// </summary>
public sealed class ObjectStore
{
    private readonly Dictionary<string, ResourceBucket> _buckets = new(StringComparer.Ordinal);
    private readonly LinkedList<WatchEvent> _history = new();
    private readonly List<WatchSubscription> _watchers = [];
    private readonly int _historyLimit;
    private long _resourceVersion;
    private long _oldestWatchable;

    public ObjectStore(int historyLimit)
    {
        _historyLimit = historyLimit;
    }

    /// <summary>The lock every read-modify-write takes.</summary>
    public object Gate { get; } = new();

    public long CurrentResourceVersion
    {
        get
        {
            lock (Gate)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>The oldest resourceVersion a watch can still start from.</summary>
    public long OldestWatchableResourceVersion
    {
        get
        {
            lock (Gate)
            {
                return _oldestWatchable;
            }
        }
    }

    public static string ObjectKey(string? ns, string name) => $"{ns ?? ""}/{name}";

    /// <summary>The stored object (a copy), or null. Call with or without the lock.</summary>
    public JsonObject? Get(string storageKey, string? ns, string name)
    {
        lock (Gate)
        {
            return _buckets.TryGetValue(storageKey, out var bucket) && bucket.Objects.TryGetValue(ObjectKey(ns, name), out var obj)
                ? (JsonObject)obj.DeepClone()
                : null;
        }
    }

    /// <summary>Copies of all objects of a resource (in one namespace when given), by namespace/name.</summary>
    public (List<JsonObject> Items, long ResourceVersion) List(string storageKey, string? ns)
    {
        lock (Gate)
        {
            var items = new List<JsonObject>();
            if (_buckets.TryGetValue(storageKey, out var bucket))
            {
                foreach (var key in bucket.KeysIn(ns, after: null))
                {
                    items.Add((JsonObject)bucket.Objects[key].DeepClone());
                }
            }
            return (items, _resourceVersion);
        }
    }

    /// <summary>A page of a LIST: copies of the matching objects, the last key read and the scope's size.</summary>
    public sealed record Page(List<JsonObject> Items, long ResourceVersion, string? LastKey, bool More, int ScopeCount);

    /// <summary>
    /// Up to <paramref name="limit"/> (0: all) copies of the objects matching <paramref name="filter"/>
    /// whose key sorts after <paramref name="afterKey"/>, in key order. Costs a seek plus the objects
    /// read, not the whole resource; <see cref="Page.More"/> says whether another match follows.
    /// </summary>
    public Page ListPage(string storageKey, string? ns, string? afterKey, int limit, Func<JsonObject, bool> filter)
    {
        lock (Gate)
        {
            var items = new List<JsonObject>();
            if (!_buckets.TryGetValue(storageKey, out var bucket))
            {
                return new Page(items, _resourceVersion, null, false, 0);
            }
            string? last = null;
            foreach (var key in bucket.KeysIn(ns, afterKey))
            {
                var obj = bucket.Objects[key];
                if (!filter(obj))
                {
                    continue;
                }
                if (limit > 0 && items.Count == limit)
                {
                    return new Page(items, _resourceVersion, last, true, bucket.Count(ns));
                }
                items.Add((JsonObject)obj.DeepClone());
                last = key;
            }
            return new Page(items, _resourceVersion, last, false, bucket.Count(ns));
        }
    }

    /// <summary>
    /// Stores <paramref name="obj"/> (ADDED or MODIFIED), stamping the next resourceVersion, and
    /// returns a copy of what was stored. Caller holds <see cref="Gate"/>.
    /// </summary>
    public JsonObject Put(string storageKey, JsonObject obj)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        var key = ObjectKey((string?)metadata["namespace"], (string)metadata["name"]!);
        var bucket = Bucket(storageKey);
        bucket.Objects.TryGetValue(key, out var previous);
        _resourceVersion++;
        metadata["resourceVersion"] = _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stored = (JsonObject)obj.DeepClone();
        bucket.Set(key, stored);
        Publish(new WatchEvent(previous is null ? "ADDED" : "MODIFIED", storageKey, stored, previous, _resourceVersion));
        return (JsonObject)stored.DeepClone();
    }

    /// <summary>Removes an object and emits DELETED carrying a new resourceVersion. Caller holds <see cref="Gate"/>.</summary>
    public JsonObject Remove(string storageKey, JsonObject obj)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        var key = ObjectKey((string?)metadata["namespace"], (string)metadata["name"]!);
        var bucket = Bucket(storageKey);
        var previous = bucket.Remove(key);
        _resourceVersion++;
        var deleted = (JsonObject)obj.DeepClone();
        deleted["metadata"]!["resourceVersion"] = _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Publish(new WatchEvent("DELETED", storageKey, deleted, previous, _resourceVersion));
        return (JsonObject)deleted.DeepClone();
    }

    /// <summary>
    /// Opens a watch. With <paramref name="fromResourceVersion"/> &gt; 0 it replays history after
    /// that version (410 when compacted away); otherwise it starts with synthetic ADDED events for
    /// the current objects, as "resourceVersion unset/0" does on a real server.
    /// </summary>
    public WatchSubscription Subscribe(string storageKey, string? ns, long fromResourceVersion)
    {
        lock (Gate)
        {
            var subscription = new WatchSubscription(this, storageKey, ns);
            if (fromResourceVersion > 0)
            {
                if (fromResourceVersion < _oldestWatchable)
                {
                    throw ApiError.Expired($"too old resource version: {fromResourceVersion} ({_oldestWatchable})");
                }
                foreach (var e in _history)
                {
                    if (e.ResourceVersion > fromResourceVersion && Matches(subscription, e))
                    {
                        subscription.Events.Writer.TryWrite(e);
                    }
                }
            }
            else if (_buckets.TryGetValue(storageKey, out var bucket))
            {
                foreach (var key in bucket.KeysIn(ns, after: null))
                {
                    var obj = bucket.Objects[key];
                    var rv = long.Parse((string)obj["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
                    subscription.Events.Writer.TryWrite(new WatchEvent("ADDED", storageKey, obj, null, rv));
                }
            }
            _watchers.Add(subscription);
            return subscription;
        }
    }

    internal void Unsubscribe(WatchSubscription subscription)
    {
        lock (Gate)
        {
            _watchers.Remove(subscription);
        }
        subscription.Drop();
    }

    /// <summary>Ends every open watch (fault injection): clients must re-list or resume.</summary>
    public int DropAllWatches()
    {
        List<WatchSubscription> dropped;
        lock (Gate)
        {
            dropped = [.. _watchers];
            _watchers.Clear();
        }
        foreach (var watcher in dropped)
        {
            watcher.Drop();
        }
        return dropped.Count;
    }

    /// <summary>
    /// Queues a BOOKMARK at the current resourceVersion behind any pending events, so the client
    /// has seen everything up to it when it reads the bookmark.
    /// </summary>
    public void EnqueueBookmark(WatchSubscription subscription, ApiResourceType type)
    {
        lock (Gate)
        {
            var bookmark = new JsonObject
            {
                ["kind"] = type.Kind,
                ["apiVersion"] = type.ApiVersion,
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            };
            subscription.Events.Writer.TryWrite(new WatchEvent("BOOKMARK", type.StorageKey, bookmark, null, _resourceVersion));
        }
    }

    /// <summary>Forgets all history: a watch or continue token from before now gets 410.</summary>
    public long Compact()
    {
        lock (Gate)
        {
            _history.Clear();
            _oldestWatchable = _resourceVersion;
            return _oldestWatchable;
        }
    }

    private ResourceBucket Bucket(string storageKey)
    {
        if (!_buckets.TryGetValue(storageKey, out var bucket))
        {
            bucket = new ResourceBucket();
            _buckets[storageKey] = bucket;
        }
        return bucket;
    }

    private void Publish(WatchEvent e)
    {
        _history.AddLast(e);
        while (_history.Count > _historyLimit)
        {
            _oldestWatchable = _history.First!.Value.ResourceVersion;
            _history.RemoveFirst();
        }
        foreach (var watcher in _watchers)
        {
            if (Matches(watcher, e))
            {
                watcher.Events.Writer.TryWrite(e);
            }
        }
    }

    private static bool Matches(WatchSubscription watcher, WatchEvent e)
    {
        if (watcher.StorageKey != e.StorageKey)
        {
            return false;
        }
        return watcher.Namespace is null || (string?)e.Object["metadata"]!["namespace"] == watcher.Namespace;
    }
}
