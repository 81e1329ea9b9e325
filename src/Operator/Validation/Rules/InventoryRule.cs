using System.Text.Json;
using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// KollectInventory and KollectClusterInventory rules (SPEC §2.2, §2.3): sink refs (string or
/// object form), their count, names and namespaces, size caps and intervals; snapshot sink refs,
/// which this operator does not export, are accepted with a warning.
/// </summary>
public sealed class InventoryRule : ISemanticRule
{
    /// <summary>At most this many sink refs across all three lists (SPEC §2.2).</summary>
    public const int MaxSinkRefs = 20;

    private static readonly string[] RefLists = ["eventSinkRefs", "databaseSinkRefs", "snapshotSinkRefs"];

    private static readonly HashSet<string> RefFields = new(StringComparer.Ordinal) { "name", "namespace", "exportMinInterval", "maxExportBytes" };

    private static readonly string[] DedupeModes = ["keepAll", "byResourceUID"];

    public void Check(SemanticValidationContext context)
    {
        var cluster = context.Kind == KollectClusterInventory.KindName;
        if ((context.Kind != KollectInventory.KindName && !cluster) || !JsonFields.IsObject(context.Spec))
        {
            return;
        }

        var spec = context.Spec;
        var report = context.Report;
        CheckSinkRefs(spec, cluster, context.Options, report);
        CommonRules.CheckInterval(JsonFields.Get(spec, "exportMinInterval"), "spec.exportMinInterval", report);
        CommonRules.CheckMaxExportBytes(JsonFields.Get(spec, "maxExportBytes"), "spec.maxExportBytes", context.Options, report);
        if (JsonFields.Get(JsonFields.Get(spec, "httpEndpoint"), "enabled").ValueKind == JsonValueKind.True)
        {
            report.Warning("spec.httpEndpoint", "the HTTP inventory endpoint is not supported by this operator; ignored");
        }

        if (cluster)
        {
            CheckClusterScope(spec, report);
        }
    }

    private static void CheckSinkRefs(JsonElement spec, bool cluster, SemanticValidationOptions options, ValidationReport report)
    {
        var sinkNamespace = JsonFields.GetString(spec, "sinkNamespace") ?? "";
        var total = 0;
        var tooManyReported = false;
        foreach (var list in RefLists)
        {
            var path = "spec." + list;
            var refs = JsonFields.Get(spec, list);
            var count = JsonFields.Count(refs);
            total += count;
            if (total > MaxSinkRefs && !tooManyReported)
            {
                report.Error(path, FieldMessages.TooMany(TotalRefs(spec), MaxSinkRefs, "sink refs in eventSinkRefs, databaseSinkRefs and snapshotSinkRefs together"));
                tooManyReported = true;
            }

            if (list == "snapshotSinkRefs" && count > 0)
            {
                report.Warning(path, "not supported by this operator; ignored (only eventSinkRefs and databaseSinkRefs are exported)");
            }

            var seen = new HashSet<(string Namespace, string Name)>();
            foreach (var (index, item) in JsonFields.Items(refs))
            {
                CheckSinkRef(item, $"{path}[{index}]", cluster, sinkNamespace, seen, options, report);
            }
        }

        if (JsonFields.Count(JsonFields.Get(spec, "eventSinkRefs")) == 0 && JsonFields.Count(JsonFields.Get(spec, "databaseSinkRefs")) == 0)
        {
            report.Warning("spec.eventSinkRefs", "no event or database sink refs: this inventory collects rows but exports them nowhere");
        }
    }

    private static int TotalRefs(JsonElement spec) => RefLists.Sum(list => JsonFields.Count(JsonFields.Get(spec, list)));

    private static void CheckSinkRef(
        JsonElement item,
        string path,
        bool cluster,
        string sinkNamespace,
        HashSet<(string Namespace, string Name)> seen,
        SemanticValidationOptions options,
        ValidationReport report)
    {
        string? name;
        string namePath;
        var ns = sinkNamespace;
        switch (item.ValueKind)
        {
            case JsonValueKind.String:
                name = item.GetString();
                namePath = path;
                break;
            case JsonValueKind.Object:
                namePath = path + ".name";
                foreach (var property in item.EnumerateObject())
                {
                    if (!RefFields.Contains(property.Name))
                    {
                        report.Error(path + "." + property.Name, "field not declared in schema: a sink ref has name, namespace, exportMinInterval and maxExportBytes");
                    }
                }

                var nameElement = JsonFields.Get(item, "name");
                name = nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString() : null;
                if (nameElement.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
                {
                    report.Error(namePath, FieldMessages.Required("the name of the sink"));
                }
                else if (nameElement.ValueKind != JsonValueKind.String)
                {
                    report.Error(namePath, FieldMessages.Invalid(nameElement, "must be a string"));
                }

                var refNamespace = JsonFields.Get(item, "namespace");
                if (refNamespace.ValueKind == JsonValueKind.String)
                {
                    if (!cluster)
                    {
                        report.Error(path + ".namespace", FieldMessages.Forbidden("sink refs of a namespaced inventory resolve in the inventory's own namespace; remove namespace"));
                    }
                    else
                    {
                        CommonRules.CheckNamespaceName(refNamespace, path + ".namespace", report);
                        ns = refNamespace.GetString()!;
                    }
                }

                CommonRules.CheckInterval(JsonFields.Get(item, "exportMinInterval"), path + ".exportMinInterval", report);
                CommonRules.CheckMaxExportBytes(JsonFields.Get(item, "maxExportBytes"), path + ".maxExportBytes", options, report);
                break;
            default:
                report.Error(path, FieldMessages.Invalid(item, "a sink ref is a sink name (string) or an object {name, exportMinInterval, maxExportBytes}"));
                return;
        }

        if (name is null)
        {
            return;
        }

        if (name.Length == 0)
        {
            report.Error(namePath, FieldMessages.Required("the name of the sink"));
        }
        else if (name.Contains('/', StringComparison.Ordinal))
        {
            report.Error(namePath, FieldMessages.Invalid(name, cluster
                ? "must not contain '/': give the sink's namespace in the ref's namespace field"
                : "must not contain '/': a sink ref names a sink in the inventory's own namespace"));
        }
        else if (!KubernetesNames.IsDns1123Subdomain(name))
        {
            report.Error(namePath, FieldMessages.Invalid(name, KubernetesNames.Dns1123SubdomainRule));
        }
        else if (!seen.Add((ns, name)))
        {
            report.Error(namePath, FieldMessages.Duplicate(name));
        }
    }

    private static void CheckClusterScope(JsonElement spec, ValidationReport report)
    {
        var selector = JsonFields.Get(spec, "namespaceSelector");
        if (LabelSelectorRules.IsEmpty(selector))
        {
            report.Error("spec.namespaceSelector", FieldMessages.Required("select the namespaces to roll up with matchLabels or matchExpressions; an empty selector is not allowed"));
        }

        LabelSelectorRules.Check(selector, "spec.namespaceSelector", report);
        foreach (var (index, ns) in JsonFields.Items(JsonFields.Get(spec, "namespaces")))
        {
            CommonRules.CheckNamespaceName(ns, $"spec.namespaces[{index}]", report);
        }

        if (JsonFields.GetString(spec, "dedupe") is { } dedupe && !DedupeModes.Contains(dedupe, StringComparer.Ordinal))
        {
            report.Error("spec.dedupe", FieldMessages.NotSupported(dedupe, DedupeModes));
        }

        CommonRules.CheckNamespaceName(JsonFields.Get(spec, "sinkNamespace"), "spec.sinkNamespace", report);
        var profileRef = JsonFields.Get(spec, "profileRef");
        if (JsonFields.IsObject(profileRef))
        {
            CommonRules.CheckObjectName(JsonFields.Get(profileRef, "name"), "spec.profileRef.name", "a KollectProfile", report);
            if (string.IsNullOrEmpty(JsonFields.GetString(profileRef, "namespace")))
            {
                report.Error("spec.profileRef.namespace", FieldMessages.Required("a cluster inventory names its profile by name and namespace"));
            }
            else
            {
                CommonRules.CheckNamespaceName(JsonFields.Get(profileRef, "namespace"), "spec.profileRef.namespace", report);
            }
        }

        foreach (var (index, target) in JsonFields.Items(JsonFields.Get(spec, "targetRefs")))
        {
            CommonRules.CheckObjectName(target, $"spec.targetRefs[{index}]", "a KollectClusterTarget", report);
        }

        LabelSelectorRules.Check(JsonFields.Get(spec, "targetSelector"), "spec.targetSelector", report);
    }
}
