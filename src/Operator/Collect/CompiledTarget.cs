using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// The filters of a KollectTarget or KollectClusterTarget compiled once per spec change (SPEC
/// §2.4, §3), so that per-object work is set lookups and selector matches. When the spec does not
/// compile, <see cref="Problem"/> names the field and the target collects nothing.
/// </summary>
internal sealed class CompiledTarget
{
    /// <summary>Object and namespace label that opts in (<c>enabled</c>) or out (<c>disabled</c>).</summary>
    public const string WatchLabel = "kollect.dev/watch";

    /// <summary>Namespace annotation with the same values as <see cref="WatchLabel"/>.</summary>
    public const string NamespaceWatchAnnotation = "kollect.dev/namespace-watch";

    private CompiledTarget(TargetKey key)
    {
        Key = key;
    }

    public TargetKey Key { get; }

    /// <summary>The profile's namespace and name (a KollectTarget's profile lives in its own namespace).</summary>
    public (string Namespace, string Name) ProfileRef { get; private set; } = ("", "");

    public Dictionary<string, string> Labels { get; private set; } = [];

    public bool Suspended { get; private set; }

    public bool OptIn { get; private set; }

    public string? Problem { get; private set; }

    public IReadOnlyList<CompiledResourceRule> Rules { get; private set; } = [];

    private HashSet<string>? included;
    private HashSet<string> excluded = [];
    private LabelSelectorMatcher? namespaceSelector;
    private LabelSelectorMatcher? namespaceExcludeSelector;
    private LabelSelectorMatcher labelSelector = LabelSelectorMatcher.Everything;
    private HashSet<string>? names;

    public static CompiledTarget Compile(TargetKey key, JsonObject target)
    {
        var compiled = new CompiledTarget(key)
        {
            Labels = LabelSelectorMatcher.ReadMap(target["metadata"]?["labels"]),
        };
        var spec = target["spec"] as JsonObject ?? [];
        compiled.Suspended = spec["suspend"] is JsonValue suspend && suspend.TryGetValue<bool>(out var value) && value;
        compiled.OptIn = CompiledProfile.Text(spec["watchMode"]) == "OptIn";
        try
        {
            compiled.ProfileRef = ReadProfileRef(key, spec["profileRef"]);
            compiled.included = ReadNames(spec["includedNamespaces"], "spec.includedNamespaces");
            compiled.excluded = ReadNames(spec["excludedNamespaces"], "spec.excludedNamespaces") ?? [];
            compiled.namespaceSelector = OptionalSelector(spec["namespaceSelector"], "spec.namespaceSelector");
            compiled.namespaceExcludeSelector = OptionalSelector(spec["namespaceExcludeSelector"], "spec.namespaceExcludeSelector");
            compiled.labelSelector = LabelSelectorMatcher.Compile(spec["labelSelector"], "spec.labelSelector");
            compiled.names = ReadNames(spec["names"], "spec.names");
            compiled.Rules = ReadRules(spec["resourceRules"]);
        }
        catch (FormatException error)
        {
            compiled.Problem = $"{key}: {error.Message}";
        }
        return compiled;
    }

    /// <summary>Kinds this target collects when its profile targets <paramref name="profileKind"/> (rules replace the profile's kind).</summary>
    public IEnumerable<GroupVersionKind> Kinds(GroupVersionKind profileKind) =>
        Rules.Count == 0 ? [profileKind] : Rules.Select(r => r.Gvk).Distinct();

    /// <summary>Whether the include rules and namespace selector select the namespace (before exclusions).</summary>
    public bool MatchesNamespace(string ns, NamespaceInfo info) =>
        (included is null || included.Contains(ns)) && (namespaceSelector is null || namespaceSelector.Matches(info.Labels));

    /// <summary>
    /// A matched namespace that the target's exclusions do not remove: objects labelled
    /// <c>kollect.dev/watch=enabled</c> are collected there even when the namespace itself opts
    /// out, since an object's own label wins over its namespace's (SPEC §3, issue #12).
    /// </summary>
    public bool IsCandidate(string ns, NamespaceInfo info) =>
        MatchesNamespace(ns, info)
        && !excluded.Contains(ns)
        && !(namespaceExcludeSelector is { IsEmpty: false } exclude && exclude.Matches(info.Labels));

    /// <summary>A namespace the target collects every selected object from (SPEC §3 effective namespaces): a candidate that does not opt out, and under OptIn opts in.</summary>
    public bool IsEffective(string ns, NamespaceInfo info) => IsCandidate(ns, info) && !info.WatchDisabled && (!OptIn || info.WatchEnabled);

    /// <summary>
    /// The object filter of SPEC §3 after the namespace filter: resource rules (OR-ed) when
    /// present, else the label selector and names.
    /// </summary>
    public bool MatchesObject(GroupVersionKind gvk, string name, IReadOnlyDictionary<string, string> labels, NamespaceInfo? ns, Func<JsonElement> element)
    {
        if (Rules.Count == 0)
        {
            return labelSelector.Matches(labels) && (names is null || names.Contains(name));
        }
        foreach (var rule in Rules)
        {
            if (rule.Matches(gvk, labels, ns, element))
            {
                return true;
            }
        }
        return false;
    }

    private static (string, string) ReadProfileRef(TargetKey key, JsonNode? node)
    {
        if (!key.IsCluster)
        {
            return (key.Namespace, CompiledProfile.Text(node) is { Length: > 0 } name
                ? name
                : throw new FormatException("spec.profileRef must name a KollectProfile in this namespace"));
        }
        var refName = CompiledProfile.Text(node?["name"]);
        var refNamespace = CompiledProfile.Text(node?["namespace"]);
        return string.IsNullOrEmpty(refName) || string.IsNullOrEmpty(refNamespace)
            ? throw new FormatException("spec.profileRef needs name and namespace of a KollectProfile")
            : (refNamespace, refName);
    }

    private static LabelSelectorMatcher? OptionalSelector(JsonNode? node, string path) =>
        node is null ? null : LabelSelectorMatcher.Compile(node, path);

    private static HashSet<string>? ReadNames(JsonNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }
        if (node is not JsonArray items)
        {
            throw new FormatException($"{path} must be a list of names");
        }
        if (items.Count == 0)
        {
            return null;
        }
        var result = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            result.Add(CompiledProfile.Text(items[i]) ?? throw new FormatException($"{path}[{i}] must be a string"));
        }
        return result;
    }

    private static CompiledResourceRule[] ReadRules(JsonNode? node)
    {
        if (node is null)
        {
            return [];
        }
        if (node is not JsonArray items)
        {
            throw new FormatException("spec.resourceRules must be a list of rules");
        }
        var rules = new CompiledResourceRule[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            rules[i] = CompiledResourceRule.Compile(items[i] as JsonObject ?? throw new FormatException($"spec.resourceRules[{i}] must be an object"), $"spec.resourceRules[{i}]");
        }
        return rules;
    }
}
