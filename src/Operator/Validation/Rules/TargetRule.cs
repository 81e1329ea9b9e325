using System.Text.Json;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// KollectTarget and KollectClusterTarget rules (SPEC §2.4), on the generated models: the profile
/// reference, namespace lists, label selector syntax and resource rules; a cluster target must
/// select namespaces. An object that does not read as its kind gets only the schema's errors.
/// </summary>
public sealed class TargetRule : ISemanticRule
{
    private const string Spec = KollectTarget.JsonNames.Spec;

    public void Check(SemanticValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == KollectTarget.KindName && Read(context.Object, KollectJsonContext.Default.KollectTarget)?.Spec is { } spec)
        {
            Check(spec, context.Report);
        }
        else if (context.Kind == KollectClusterTarget.KindName && Read(context.Object, KollectJsonContext.Default.KollectClusterTarget)?.Spec is { } clusterSpec)
        {
            Check(clusterSpec, context.Report);
        }
    }

    private static void Check(KollectTargetSpec spec, ValidationReport report)
    {
        CommonRules.CheckObjectName(spec.ProfileRef, $"{Spec}.{KollectTargetSpec.JsonNames.ProfileRef}", "a KollectProfile in this namespace", report);
        LabelSelectorRules.Check(spec.LabelSelector, $"{Spec}.{KollectTargetSpec.JsonNames.LabelSelector}", report);
        LabelSelectorRules.Check(spec.NamespaceSelector, $"{Spec}.{KollectTargetSpec.JsonNames.NamespaceSelector}", report);
        LabelSelectorRules.Check(spec.NamespaceExcludeSelector, $"{Spec}.{KollectTargetSpec.JsonNames.NamespaceExcludeSelector}", report);
        CheckNamespaces(spec.IncludedNamespaces, $"{Spec}.{KollectTargetSpec.JsonNames.IncludedNamespaces}", report);
        CheckNamespaces(spec.ExcludedNamespaces, $"{Spec}.{KollectTargetSpec.JsonNames.ExcludedNamespaces}", report);
        var names = spec.Names ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0)
            {
                report.Error($"{Spec}.{KollectTargetSpec.JsonNames.Names}[{i}]", FieldMessages.Required("an object name; remove empty entries"));
            }
        }

        var rules = spec.ResourceRules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            CheckResourceRule(
                rule.Gvk.Version, rule.Gvk.Kind, rule.MatchLabels, rule.MatchExpressions?.Select(e => new LabelSelectorRequirement { Key = e.Key, Operator = e.Operator, Values = e.Values }).ToList(),
                rule.NamespaceSelector, new RulePaths($"{Spec}.{KollectTargetSpec.JsonNames.ResourceRules}[{i}]", KollectTargetSpecResourceRulesItem.JsonNames.Gvk,
                    KollectTargetSpecResourceRulesItemGvk.JsonNames.Version, KollectTargetSpecResourceRulesItemGvk.JsonNames.Kind, KollectTargetSpecResourceRulesItem.JsonNames.NamespaceSelector),
                report);
        }
    }

    private static void Check(KollectClusterTargetSpec spec, ValidationReport report)
    {
        const string ClusterSpec = KollectClusterTarget.JsonNames.Spec;
        CheckClusterProfileRef(spec.ProfileRef, report);
        var namespaceSelector = $"{ClusterSpec}.{KollectClusterTargetSpec.JsonNames.NamespaceSelector}";
        if (spec.NamespaceSelector is not { MatchLabels.Count: > 0 } and not { MatchExpressions.Count: > 0 })
        {
            report.Error(namespaceSelector, FieldMessages.Required("a cluster target must select namespaces with matchLabels or matchExpressions; an empty selector is not allowed"));
        }

        LabelSelectorRules.Check(spec.NamespaceSelector, namespaceSelector, report);
        LabelSelectorRules.Check(spec.NamespaceExcludeSelector, $"{ClusterSpec}.{KollectClusterTargetSpec.JsonNames.NamespaceExcludeSelector}", report);
        CheckNamespaces(spec.IncludedNamespaces, $"{ClusterSpec}.{KollectClusterTargetSpec.JsonNames.IncludedNamespaces}", report);
        CheckNamespaces(spec.ExcludedNamespaces, $"{ClusterSpec}.{KollectClusterTargetSpec.JsonNames.ExcludedNamespaces}", report);
        var rules = spec.ResourceRules ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            CheckResourceRule(
                rule.Gvk.Version, rule.Gvk.Kind, rule.MatchLabels, rule.MatchExpressions?.Select(e => new LabelSelectorRequirement { Key = e.Key, Operator = e.Operator, Values = e.Values }).ToList(),
                rule.NamespaceSelector, new RulePaths($"{ClusterSpec}.{KollectClusterTargetSpec.JsonNames.ResourceRules}[{i}]", KollectClusterTargetSpecResourceRulesItem.JsonNames.Gvk,
                    KollectClusterTargetSpecResourceRulesItemGvk.JsonNames.Version, KollectClusterTargetSpecResourceRulesItemGvk.JsonNames.Kind, KollectClusterTargetSpecResourceRulesItem.JsonNames.NamespaceSelector),
                report);
        }
    }

    private static void CheckClusterProfileRef(KollectClusterTargetSpecProfileRef profileRef, ValidationReport report)
    {
        var path = $"{KollectClusterTarget.JsonNames.Spec}.{KollectClusterTargetSpec.JsonNames.ProfileRef}";
        CommonRules.CheckObjectName(profileRef.Name, $"{path}.{KollectClusterTargetSpecProfileRef.JsonNames.Name}", "a KollectProfile", report);
        var namespacePath = $"{path}.{KollectClusterTargetSpecProfileRef.JsonNames.Namespace}";
        if (string.IsNullOrEmpty(profileRef.Namespace))
        {
            report.Error(namespacePath, FieldMessages.Required("a cluster target names its profile by name and namespace"));
        }
        else
        {
            CommonRules.CheckNamespaceName(profileRef.Namespace, namespacePath, report);
        }
    }

    private static void CheckNamespaces(List<string>? namespaces, string path, ValidationReport report)
    {
        for (var i = 0; i < (namespaces?.Count ?? 0); i++)
        {
            CommonRules.CheckNamespaceName(namespaces![i], $"{path}[{i}]", report);
        }
    }

    private static void CheckResourceRule(
        string version, string kind, Dictionary<string, string>? matchLabels, List<LabelSelectorRequirement>? matchExpressions, LabelSelector? namespaceSelector,
        RulePaths paths, ValidationReport report)
    {
        foreach (var (field, value) in new[] { (paths.Version, version), (paths.Kind, kind) })
        {
            if (value.Length == 0)
            {
                report.Error($"{paths.Rule}.{paths.Gvk}.{field}", FieldMessages.Required($"the {field} of the resources to collect"));
            }
        }

        // A resource rule carries matchLabels and matchExpressions itself, as a selector does.
        LabelSelectorRules.CheckParts(new LabelSelector { MatchLabels = matchLabels, MatchExpressions = matchExpressions }, paths.Rule, report);
        LabelSelectorRules.Check(namespaceSelector, $"{paths.Rule}.{paths.NamespaceSelector}", report);
    }

    private static T? Read<T>(JsonElement obj, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return obj.Deserialize(type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A resource rule's path and the JSON names of its fields, from the kind's generated model.</summary>
    private readonly record struct RulePaths(string Rule, string Gvk, string Version, string Kind, string NamespaceSelector);
}
