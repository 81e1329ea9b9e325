using System.Text.Json.Nodes;

namespace Kollect.Operator.Collect;

/// <summary>
/// What the engine keeps of a Namespace (SPEC §3): its labels, for selectors, and its watch
/// opt-in / opt-out (label <c>kollect.dev/watch</c> or annotation <c>kollect.dev/namespace-watch</c>;
/// <c>disabled</c> wins over <c>enabled</c>).
/// </summary>
internal sealed record NamespaceInfo(Dictionary<string, string> Labels, bool WatchDisabled, bool WatchEnabled)
{
    public static NamespaceInfo From(JsonObject ns)
    {
        var labels = LabelSelectorMatcher.ReadMap(ns["metadata"]?["labels"]);
        labels.TryGetValue(CompiledTarget.WatchLabel, out var label);
        var annotation = CompiledProfile.Text(ns["metadata"]?["annotations"]?[CompiledTarget.NamespaceWatchAnnotation]);
        var disabled = label == CompiledTarget.WatchDisabled || annotation == CompiledTarget.WatchDisabled;
        return new NamespaceInfo(labels, disabled, !disabled && (label == CompiledTarget.WatchEnabled || annotation == CompiledTarget.WatchEnabled));
    }

    /// <summary>Same labels and watch flags (records compare dictionaries by reference).</summary>
    public bool SameAs(NamespaceInfo other) =>
        WatchDisabled == other.WatchDisabled && WatchEnabled == other.WatchEnabled
        && Labels.Count == other.Labels.Count
        && Labels.All(p => other.Labels.TryGetValue(p.Key, out var v) && v == p.Value);
}
