using System.Text.Json.Nodes;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// One full replay of a kind, fed one LIST page at a time (see
/// <see cref="CollectionEngine.BeginReplay"/>): afterwards the kind's rows of every collecting
/// target are exactly those the listed objects yield.
/// </summary>
public sealed class CollectionReplay
{
    private readonly Lock _gate;
    private readonly RowStore _store;
    private readonly GroupVersionKind _kind;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    internal CollectionReplay(Lock gate, RowStore store, GroupVersionKind kind)
    {
        _gate = gate;
        _store = store;
        _kind = kind;
    }

    /// <summary>Applies one page of the LIST.</summary>
    public CollectionChange Add(IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        lock (_gate)
        {
            var change = new CollectionChangeBuilder();
            foreach (var obj in objects)
            {
                _seen.Add(RowStore.ObjectKey(obj));
                _store.Apply(_kind, obj, change);
            }
            return change.Build();
        }
    }

    /// <summary>Drops the rows of objects the LIST no longer had.</summary>
    public CollectionChange Complete()
    {
        lock (_gate)
        {
            var change = new CollectionChangeBuilder();
            _store.DropUnseen(_kind, _seen, change);
            return change.Build();
        }
    }
}
