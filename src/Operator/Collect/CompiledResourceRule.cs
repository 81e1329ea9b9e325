using System.Text.Json;
using System.Text.Json.Nodes;
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

    public static CompiledResourceRule Compile(JsonObject rule, string path)
    {
        var gvkNode = rule["gvk"] as JsonObject;
        var gvk = new GroupVersionKind(CompiledProfile.Text(gvkNode?["group"]) ?? "", CompiledProfile.Text(gvkNode?["version"]) ?? "", CompiledProfile.Text(gvkNode?["kind"]) ?? "");
        if (gvk.Version.Length == 0 || gvk.Kind.Length == 0)
        {
            throw new FormatException($"{path}.gvk needs a version and a kind");
        }
        CelExpression? policy = null;
        if (CompiledProfile.Text(rule["matchPolicy"]) is { } text && text.Trim().Length > 0)
        {
            try
            {
                policy = CelParser.Parse(text);
            }
            catch (AttributePathSyntaxException error)
            {
                throw new FormatException($"{path}.matchPolicy {error.Message}");
            }
        }
        var namespaceSelector = rule["namespaceSelector"] is null ? null : LabelSelectorMatcher.Compile(rule["namespaceSelector"], path + ".namespaceSelector");
        return new CompiledResourceRule(gvk, namespaceSelector, LabelSelectorMatcher.Compile(rule["matchLabels"], rule["matchExpressions"], path), policy);
    }

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
