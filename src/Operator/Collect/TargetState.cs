using Kollect.Operator.Export;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// A target's compiled spec, resolved state, namespace sets and rows (SPEC §3: rows only, one per
/// collected kind and object (by uid) — never the objects), with the bookkeeping of its rows and
/// extraction failures. Guarded by the engine's lock.
/// </summary>
internal sealed class TargetState(CompiledTarget spec, string fingerprint)
{
    public CompiledTarget Spec { get; set; } = spec;

    /// <summary>The spec and labels as JSON text: an upsert with the same text changes nothing.</summary>
    public string Fingerprint { get; set; } = fingerprint;

    public TargetCollectionState State { get; set; } = TargetCollectionState.ProfileNotFound;

    public string? Problem { get; set; }

    public CompiledProfile? Profile { get; set; }

    /// <summary>Kinds the target collects now; empty unless <see cref="TargetCollectionState.Collecting"/>.</summary>
    public HashSet<GroupVersionKind> Kinds { get; set; } = [];

    public HashSet<string> Matched { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Candidate { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Effective { get; } = new(StringComparer.Ordinal);

    public Dictionary<GroupVersionKind, Dictionary<string, ItemRow>> Rows { get; } = [];

    public int RowCount { get; set; }

    /// <summary>Objects (kind, object key) whose required attribute fails, with the message.</summary>
    public Dictionary<(GroupVersionKind Kind, string ObjectKey), string> Failures { get; } = [];

    public string? LastError { get; set; }

    public IEnumerable<ItemRow> AllRows() => Rows.Values.SelectMany(r => r.Values);

    /// <summary>Stores the row of an object; reports nothing when its bytes did not change.</summary>
    public void Put(GroupVersionKind gvk, string objectKey, ItemRow row, CollectionChangeBuilder change)
    {
        ClearFailure(gvk, objectKey, change);
        if (!Rows.TryGetValue(gvk, out var rows))
        {
            rows = new Dictionary<string, ItemRow>(StringComparer.Ordinal);
            Rows[gvk] = rows;
        }
        if (rows.TryGetValue(objectKey, out var existing) && existing.Json.SequenceEqual(row.Json))
        {
            return;
        }
        if (existing is null)
        {
            RowCount++;
            change.TargetChanged(Spec.Key);
        }
        rows[objectKey] = row;
        change.RowsChanged(Spec.Key);
    }

    /// <summary>The object's required attribute failed: it has no row, and the failure is reported.</summary>
    public void Fail(GroupVersionKind gvk, string objectKey, string message, CollectionChangeBuilder change)
    {
        RemoveRow(gvk, objectKey, change);
        if (!Failures.TryGetValue((gvk, objectKey), out var previous) || previous != message || LastError != message)
        {
            Failures[(gvk, objectKey)] = message;
            LastError = message;
            change.TargetChanged(Spec.Key);
        }
    }

    /// <summary>Forgets the object: its row and its failure.</summary>
    public void Drop(GroupVersionKind gvk, string objectKey, CollectionChangeBuilder change)
    {
        RemoveRow(gvk, objectKey, change);
        ClearFailure(gvk, objectKey, change);
    }

    /// <summary>Forgets every object of <paramref name="gvk"/>.</summary>
    public void DropKind(GroupVersionKind gvk, CollectionChangeBuilder change)
    {
        foreach (var objectKey in KnownObjectKeys(gvk))
        {
            Drop(gvk, objectKey, change);
        }
        Rows.Remove(gvk);
    }

    /// <summary>Keys of objects of <paramref name="gvk"/> the target has a row or a failure for (a snapshot: callers drop them).</summary>
    public List<string> KnownObjectKeys(GroupVersionKind gvk) =>
        (Rows.TryGetValue(gvk, out var rows) ? rows.Keys.AsEnumerable() : [])
            .Concat(Failures.Keys.Where(f => f.Kind == gvk).Select(f => f.ObjectKey))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private void RemoveRow(GroupVersionKind gvk, string objectKey, CollectionChangeBuilder change)
    {
        if (Rows.TryGetValue(gvk, out var rows) && rows.Remove(objectKey))
        {
            RowCount--;
            change.RowsChanged(Spec.Key);
            change.TargetChanged(Spec.Key);
        }
    }

    private void ClearFailure(GroupVersionKind gvk, string objectKey, CollectionChangeBuilder change)
    {
        if (Failures.Remove((gvk, objectKey)))
        {
            if (Failures.Count == 0)
            {
                LastError = null;
            }
            change.TargetChanged(Spec.Key);
        }
    }
}
