using System.Text.Json;
using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// KollectTarget and KollectClusterTarget rules (SPEC §2.4): the profile reference, namespace
/// lists, label selector syntax and resource rules; a cluster target must select namespaces.
/// </summary>
public sealed class TargetRule : ISemanticRule
{
    private static readonly string[] Selectors = ["labelSelector", "namespaceSelector", "namespaceExcludeSelector"];

    public void Check(SemanticValidationContext context)
    {
        var cluster = context.Kind == KollectClusterTarget.KindName;
        if ((context.Kind != KollectTarget.KindName && !cluster) || !JsonFields.IsObject(context.Spec))
        {
            return;
        }

        var spec = context.Spec;
        var report = context.Report;
        if (cluster)
        {
            CheckClusterProfileRef(JsonFields.Get(spec, "profileRef"), report);
            if (LabelSelectorRules.IsEmpty(JsonFields.Get(spec, "namespaceSelector")))
            {
                report.Error("spec.namespaceSelector", FieldMessages.Required("a cluster target must select namespaces with matchLabels or matchExpressions; an empty selector is not allowed"));
            }
        }
        else
        {
            var profileRef = JsonFields.Get(spec, "profileRef");
            if (profileRef.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                report.Error("spec.profileRef", FieldMessages.Required("the name of a KollectProfile in this namespace"));
            }

            CommonRules.CheckObjectName(profileRef, "spec.profileRef", "a KollectProfile in this namespace", report);
        }

        foreach (var selector in Selectors)
        {
            LabelSelectorRules.Check(JsonFields.Get(spec, selector), "spec." + selector, report);
        }

        foreach (var list in new[] { "includedNamespaces", "excludedNamespaces" })
        {
            foreach (var (index, ns) in JsonFields.Items(JsonFields.Get(spec, list)))
            {
                CommonRules.CheckNamespaceName(ns, $"spec.{list}[{index}]", report);
            }
        }

        foreach (var (index, name) in JsonFields.Items(JsonFields.Get(spec, "names")))
        {
            if (name.ValueKind == JsonValueKind.String && name.GetString()!.Length == 0)
            {
                report.Error($"spec.names[{index}]", FieldMessages.Required("an object name; remove empty entries"));
            }
        }

        foreach (var (index, rule) in JsonFields.Items(JsonFields.Get(spec, "resourceRules")))
        {
            CheckResourceRule(rule, $"spec.resourceRules[{index}]", report);
        }
    }

    private static void CheckClusterProfileRef(JsonElement profileRef, ValidationReport report)
    {
        if (profileRef.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            report.Error("spec.profileRef", FieldMessages.Required("a cluster target names its KollectProfile by name and namespace"));
            return;
        }

        if (!JsonFields.IsObject(profileRef))
        {
            return;
        }

        var name = JsonFields.Get(profileRef, "name");
        if (name.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            report.Error("spec.profileRef.name", FieldMessages.Required("the name of a KollectProfile"));
        }

        CommonRules.CheckObjectName(name, "spec.profileRef.name", "a KollectProfile", report);
        if (string.IsNullOrEmpty(JsonFields.GetString(profileRef, "namespace")))
        {
            report.Error("spec.profileRef.namespace", FieldMessages.Required("a cluster target names its profile by name and namespace"));
        }
        else
        {
            CommonRules.CheckNamespaceName(JsonFields.Get(profileRef, "namespace"), "spec.profileRef.namespace", report);
        }
    }

    private static void CheckResourceRule(JsonElement rule, string path, ValidationReport report)
    {
        var gvk = JsonFields.Get(rule, "gvk");
        if (JsonFields.IsObject(gvk))
        {
            foreach (var field in new[] { "version", "kind" })
            {
                if (JsonFields.GetString(gvk, field) is { Length: 0 })
                {
                    report.Error($"{path}.gvk.{field}", FieldMessages.Required($"the {field} of the resources to collect"));
                }
            }
        }

        LabelSelectorRules.CheckMatchLabels(JsonFields.Get(rule, "matchLabels"), path + ".matchLabels", report);
        LabelSelectorRules.CheckMatchExpressions(JsonFields.Get(rule, "matchExpressions"), path + ".matchExpressions", report);
        LabelSelectorRules.Check(JsonFields.Get(rule, "namespaceSelector"), path + ".namespaceSelector", report);
    }
}
