using Kollect.Operator.Collect;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation.Rules;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// The semantic rules used by both the operator and <c>kollect validate</c>, so the two cannot
/// disagree. Rules owned by other components plug in through <paramref name="extraRules"/>:
/// <see cref="AttributePathRule"/> (extraction path syntax, SPEC §3) and
/// <see cref="SinkEndpointRule"/> (endpoint guard, SPEC §6.5). <see cref="SecretDataRule"/> (the
/// Secret data guard, SPEC §3) is built in: no configuration may turn it off.
/// </summary>
public static class SemanticRuleSet
{
    /// <summary>
    /// Every rule the operator and the command line apply: the built-in rules plus the attribute
    /// path syntax of the collection parsers and the validation-time endpoint guard (host names and
    /// IP literals are judged without resolving them; dial time resolves and checks every address).
    /// </summary>
    public static IReadOnlyList<ISemanticRule> Standard(EndpointPolicy endpointPolicy) => Create(
        new AttributePathRule(AttributePathSyntax.Validate),
        new SinkEndpointRule(endpoint => EndpointGuard.CheckHost(endpoint.Host, endpointPolicy).Message));

    public static IReadOnlyList<ISemanticRule> Create(params ISemanticRule[] extraRules) =>
    [
        new MetadataRule(),
        new EventSinkRule(),
        new DatabaseSinkRule(),
        new InventoryRule(),
        new TargetRule(),
        new ProfileRule(),
        new SecretDataRule(),
        new ConnectionTestRule(),
        .. extraRules,
    ];
}
