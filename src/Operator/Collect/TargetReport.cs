namespace Kollect.Operator.Collect;

/// <summary>
/// The facts a target's status is built from (SPEC §2.4): rows held, namespaces matched (include
/// rules and selector, before exclusions) and effective (after exclusions and watch opt-outs),
/// required-attribute failures among the objects currently selected, and the collection state
/// with a message for people when it is not <see cref="TargetCollectionState.Collecting"/>.
/// </summary>
public sealed record TargetReport(
    TargetKey Key,
    TargetCollectionState State,
    string? Problem,
    int CollectedCount,
    IReadOnlyList<string> MatchedNamespaces,
    IReadOnlyList<string> EffectiveNamespaces,
    int ExtractionFailures,
    string? LastExtractionError);
