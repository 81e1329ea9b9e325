using Kollect.Operator.Validation.Rules;

namespace Kollect.Operator.Validation;

/// <summary>
/// The semantic rules used by both the operator and <c>kollect validate</c>, so the two cannot
/// disagree. Rules owned by other components plug in through <paramref name="extraRules"/>:
/// <see cref="AttributePathRule"/> (extraction path syntax, SPEC §3) and
/// <see cref="SinkEndpointRule"/> (endpoint guard, SPEC §6.5).
/// </summary>
public static class SemanticRuleSet
{
    public static IReadOnlyList<ISemanticRule> Create(params ISemanticRule[] extraRules) =>
    [
        new MetadataRule(),
        new EventSinkRule(),
        new InventoryRule(),
        new TargetRule(),
        new ProfileRule(),
        new ConnectionTestRule(),
        .. extraRules,
    ];
}
