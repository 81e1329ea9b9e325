using System.Text.Json;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
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

    /// <summary>The opt-in value of <see cref="WatchLabel"/> and <see cref="NamespaceWatchAnnotation"/>.</summary>
    public const string WatchEnabled = "enabled"; // not a Kollect field: a label value

    /// <summary>The opt-out value of <see cref="WatchLabel"/> and <see cref="NamespaceWatchAnnotation"/>.</summary>
    public const string WatchDisabled = "disabled";

    private CompiledTarget(TargetKey key)
    {
        Key = key;
    }

    public TargetKey Key { get; }

    /// <summary>The profile's namespace and name (a KollectTarget's profile lives in its own namespace).</summary>
    public (string Namespace, string Name) ProfileRef { get; private set; } = ("", "");

    public Dictionary<string, string> Labels { get; private init; } = [];

    public bool Suspended { get; private init; }

    public bool OptIn { get; private init; }

    public string? Problem { get; private set; }

    /// <summary>The field path of the profile reference, for messages.</summary>
    public string ProfileRefPath { get; private init; } = "";

    /// <summary>The JSON name of <c>suspend</c>, for messages.</summary>
    public string SuspendField { get; private init; } = "";

    public IReadOnlyList<CompiledResourceRule> Rules { get; private set; } = [];

    private HashSet<string>? included;
    private HashSet<string> excluded = [];
    private LabelSelectorMatcher? namespaceSelector;
    private LabelSelectorMatcher? namespaceExcludeSelector;
    private LabelSelectorMatcher labelSelector = LabelSelectorMatcher.Everything;
    private HashSet<string>? names;

    public static CompiledTarget Compile(TargetKey key, KollectTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var spec = target.Spec;
        var compiled = new CompiledTarget(key)
        {
            Labels = new Dictionary<string, string>(target.Metadata.Labels ?? [], StringComparer.Ordinal),
            Suspended = spec?.Suspend == true,
            OptIn = spec?.WatchMode == KollectTargetSpecWatchMode.OptIn,
            ProfileRefPath = $"{KollectTarget.JsonNames.Spec}.{KollectTargetSpec.JsonNames.ProfileRef}",
            SuspendField = KollectTargetSpec.JsonNames.Suspend,
        };
        const string Spec = KollectTarget.JsonNames.Spec;
        try
        {
            if (spec?.ProfileRef is not { Length: > 0 } profile)
            {
                throw new FormatException($"{Spec}.{KollectTargetSpec.JsonNames.ProfileRef} must name a KollectProfile in this namespace");
            }
            compiled.ProfileRef = (key.Namespace, profile);
            compiled.included = ReadNames(spec.IncludedNamespaces);
            compiled.excluded = ReadNames(spec.ExcludedNamespaces) ?? [];
            compiled.namespaceSelector = OptionalSelector(spec.NamespaceSelector, $"{Spec}.{KollectTargetSpec.JsonNames.NamespaceSelector}");
            compiled.namespaceExcludeSelector = OptionalSelector(spec.NamespaceExcludeSelector, $"{Spec}.{KollectTargetSpec.JsonNames.NamespaceExcludeSelector}");
            compiled.labelSelector = LabelSelectorMatcher.Compile(spec.LabelSelector, $"{Spec}.{KollectTargetSpec.JsonNames.LabelSelector}");
            compiled.names = ReadNames(spec.Names);
            var rulesPath = $"{Spec}.{KollectTargetSpec.JsonNames.ResourceRules}";
            compiled.Rules = [.. (spec.ResourceRules ?? []).Select((rule, i) => CompiledResourceRule.Compile(rule, $"{rulesPath}[{i}]"))];
        }
        catch (FormatException error)
        {
            compiled.Problem = $"{key}: {error.Message}";
        }
        return compiled;
    }

    public static CompiledTarget Compile(TargetKey key, KollectClusterTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var spec = target.Spec;
        var compiled = new CompiledTarget(key)
        {
            Labels = new Dictionary<string, string>(target.Metadata.Labels ?? [], StringComparer.Ordinal),
            Suspended = spec?.Suspend == true,
            ProfileRefPath = $"{KollectClusterTarget.JsonNames.Spec}.{KollectClusterTargetSpec.JsonNames.ProfileRef}",
            SuspendField = KollectClusterTargetSpec.JsonNames.Suspend,
        };
        const string Spec = KollectClusterTarget.JsonNames.Spec;
        try
        {
            if (spec?.ProfileRef is not { Name.Length: > 0, Namespace.Length: > 0 } profile)
            {
                throw new FormatException($"{Spec}.{KollectClusterTargetSpec.JsonNames.ProfileRef} needs name and namespace of a KollectProfile");
            }
            compiled.ProfileRef = (profile.Namespace, profile.Name);
            compiled.included = ReadNames(spec.IncludedNamespaces);
            compiled.excluded = ReadNames(spec.ExcludedNamespaces) ?? [];
            compiled.namespaceSelector = OptionalSelector(spec.NamespaceSelector, $"{Spec}.{KollectClusterTargetSpec.JsonNames.NamespaceSelector}");
            compiled.namespaceExcludeSelector = OptionalSelector(spec.NamespaceExcludeSelector, $"{Spec}.{KollectClusterTargetSpec.JsonNames.NamespaceExcludeSelector}");
            var rulesPath = $"{Spec}.{KollectClusterTargetSpec.JsonNames.ResourceRules}";
            compiled.Rules = [.. (spec.ResourceRules ?? []).Select((rule, i) => CompiledResourceRule.Compile(rule, $"{rulesPath}[{i}]"))];
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

    private static LabelSelectorMatcher? OptionalSelector(LabelSelector? selector, string path) =>
        selector is null ? null : LabelSelectorMatcher.Compile(selector, path);

    private static HashSet<string>? ReadNames(List<string>? items) =>
        items is null or { Count: 0 } ? null : new HashSet<string>(items, StringComparer.Ordinal);
}
