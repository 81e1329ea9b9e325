using Kollect.Operator.Export;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// A target's compiled spec, resolved state, namespace sets and rows (SPEC §3: rows only, one per
/// collected kind and object (by uid) — never the objects). Guarded by the engine's lock.
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
}
