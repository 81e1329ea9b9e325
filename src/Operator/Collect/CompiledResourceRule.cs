using System.Text.Json;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// One <c>spec.resourceRules[]</c> entry (SPEC §2.4): the object must be of <see cref="Gvk"/>, in a
/// namespace the rule's selector accepts, carry the labels, and satisfy <c>matchPolicy</c> (a CEL
/// expression over <c>object</c>; anything but <c>true</c>, including an evaluation error, rejects).
/// </summary>
internal sealed class CompiledResourceRule
{
    private readonly LabelSelectorMatcher? namespaceSelector;
    private readonly LabelSelectorMatcher objectSelector;
    private readonly CelExpression? policy;

    private CompiledResourceRule(GroupVersionKind gvk, LabelSelectorMatcher? namespaceSelector, LabelSelectorMatcher objectSelector, CelExpression? policy)
    {
        Gvk = gvk;
        this.namespaceSelector = namespaceSelector;
        this.objectSelector = objectSelector;
        this.policy = policy;
    }

    public GroupVersionKind Gvk { get; }

    public static CompiledResourceRule Compile(KollectTargetSpecResourceRulesItem rule, string path)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Compile(
            new GroupVersionKind(rule.Gvk.Group ?? "", rule.Gvk.Version ?? "", rule.Gvk.Kind ?? ""),
            rule.MatchPolicy,
            rule.NamespaceSelector,
            rule.MatchLabels,
            rule.MatchExpressions?.Select(e => (e.Key, e.Operator, (IReadOnlyList<string>?)e.Values)).ToList(),
            new RulePaths(path, KollectTargetSpecResourceRulesItem.JsonNames.Gvk, KollectTargetSpecResourceRulesItem.JsonNames.MatchPolicy, KollectTargetSpecResourceRulesItem.JsonNames.NamespaceSelector));
    }

    public static CompiledResourceRule Compile(KollectClusterTargetSpecResourceRulesItem rule, string path)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return Compile(
            new GroupVersionKind(rule.Gvk.Group ?? "", rule.Gvk.Version ?? "", rule.Gvk.Kind ?? ""),
            rule.MatchPolicy,
            rule.NamespaceSelector,
            rule.MatchLabels,
            rule.MatchExpressions?.Select(e => (e.Key, e.Operator, (IReadOnlyList<string>?)e.Values)).ToList(),
            new RulePaths(path, KollectClusterTargetSpecResourceRulesItem.JsonNames.Gvk, KollectClusterTargetSpecResourceRulesItem.JsonNames.MatchPolicy, KollectClusterTargetSpecResourceRulesItem.JsonNames.NamespaceSelector));
    }

    private static CompiledResourceRule Compile(
        GroupVersionKind gvk,
        string? matchPolicy,
        LabelSelector? namespaceSelector,
        IReadOnlyDictionary<string, string>? matchLabels,
        IReadOnlyList<(string Key, string Operator, IReadOnlyList<string>? Values)>? matchExpressions,
        RulePaths paths)
    {
        if (gvk.Version.Length == 0 || gvk.Kind.Length == 0)
        {
            throw new FormatException($"{paths.Rule}.{paths.Gvk} needs a version and a kind");
        }
        CelExpression? policy = null;
        if (matchPolicy is { } text && text.Trim().Length > 0)
        {
            try
            {
                policy = CelParser.Parse(text);
            }
            catch (AttributePathSyntaxException error)
            {
                throw new FormatException($"{paths.Rule}.{paths.MatchPolicy} {error.Message}");
            }
        }
        var namespaces = namespaceSelector is null ? null : LabelSelectorMatcher.Compile(namespaceSelector, $"{paths.Rule}.{paths.NamespaceSelector}");
        return new CompiledResourceRule(gvk, namespaces, LabelSelectorMatcher.Compile(matchLabels, matchExpressions, paths.Rule), policy);
    }

    /// <summary>The rule's own path and the JSON names of its fields, from the kind's generated model.</summary>
    private readonly record struct RulePaths(string Rule, string Gvk, string MatchPolicy, string NamespaceSelector);

    /// <summary>
    /// <paramref name="ns"/> is null for a cluster-scoped object, which the rule's namespace
    /// selector does not restrict (SPEC §3: cluster-scoped objects pass namespace filters).
    /// </summary>
    public bool Matches(GroupVersionKind gvk, IReadOnlyDictionary<string, string> labels, NamespaceInfo? ns, Func<JsonElement> element) =>
        gvk == Gvk
        && (namespaceSelector is null || ns is null || namespaceSelector.Matches(ns.Labels))
        && objectSelector.Matches(labels)
        && (policy is null || CelEvaluator.Evaluate(policy, element()) is { Kind: PathValueKind.Bool, Bool: true });
}
