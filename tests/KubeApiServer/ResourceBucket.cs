using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// The objects of one resource: a hash map by "namespace/name" key, an ordered set of the keys
/// (a red-black tree, so a page seeks to its continue key in O(log n)), and counts per namespace
/// for <c>remainingItemCount</c>. Not thread-safe: <see cref="ObjectStore"/> holds its lock.
/// </summary>
internal sealed class ResourceBucket
{
    // Keys are "namespace/name" (cluster-scoped: "/name"); names never hold '/' or U+FFFF, so
    // "ns/" .. "ns/\uffff" spans one namespace and "" .. "\uffff" spans all.
    private const string AfterEveryKey = "\uffff";

    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _countByNamespace = new(StringComparer.Ordinal);

    public Dictionary<string, JsonObject> Objects { get; } = new(StringComparer.Ordinal);

    public void Set(string key, JsonObject obj)
    {
        if (Objects.TryAdd(key, obj))
        {
            _keys.Add(key);
            var ns = NamespaceOf(key);
            _countByNamespace[ns] = _countByNamespace.GetValueOrDefault(ns) + 1;
        }
        else
        {
            Objects[key] = obj;
        }
    }

    public JsonObject? Remove(string key)
    {
        if (!Objects.Remove(key, out var previous))
        {
            return null;
        }
        _keys.Remove(key);
        var ns = NamespaceOf(key);
        _countByNamespace[ns]--;
        return previous;
    }

    /// <summary>Objects in <paramref name="ns"/>, or in all namespaces when null.</summary>
    public int Count(string? ns) => ns is null ? Objects.Count : _countByNamespace.GetValueOrDefault(ns);

    /// <summary>The keys in <paramref name="ns"/> (all when null) after <paramref name="after"/>, in ordinal order.</summary>
    public IEnumerable<string> KeysIn(string? ns, string? after)
    {
        var low = ns is null ? "" : ns + "/";
        var high = ns is null ? AfterEveryKey : ns + "/" + AfterEveryKey;
        if (after is not null && string.CompareOrdinal(after, low) > 0)
        {
            low = after;
        }
        if (string.CompareOrdinal(low, high) > 0)
        {
            yield break;
        }
        foreach (var key in _keys.GetViewBetween(low, high))
        {
            if (!string.Equals(key, after, StringComparison.Ordinal))
            {
                yield return key;
            }
        }
    }

    private static string NamespaceOf(string key) => key[..key.IndexOf('/', StringComparison.Ordinal)];
}
