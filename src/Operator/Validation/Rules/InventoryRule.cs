using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// KollectInventory and KollectClusterInventory rules (SPEC §2.2, §2.3), on the generated models:
/// sink refs (string or object form), their count, names and namespaces, size caps and intervals;
/// snapshot sink refs, which this operator does not export, are accepted with a warning. An object
/// that does not read as its kind (a ref of the wrong shape, an unknown field) gets only the
/// schema's errors.
/// </summary>
public sealed class InventoryRule : ISemanticRule
{
    /// <summary>At most this many sink refs across all three lists (SPEC §2.2).</summary>
    public const int MaxSinkRefs = 20;

    private const string Spec = KollectInventory.JsonNames.Spec;

    public void Check(SemanticValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind == KollectInventory.KindName && context.Read(KollectJsonContext.Default.KollectInventory)?.Spec is { } spec)
        {
            var view = new InventoryView(
                [
                    (KollectInventorySpec.JsonNames.EventSinkRefs, spec.EventSinkRefs),
                    (KollectInventorySpec.JsonNames.DatabaseSinkRefs, spec.DatabaseSinkRefs),
                    (KollectInventorySpec.JsonNames.SnapshotSinkRefs, spec.SnapshotSinkRefs),
                ],
                "");
            CheckSinkRefs(view, cluster: false, context.Options, context.Report);
            CommonRules.CheckInterval(spec.ExportMinInterval, FieldPath.Of(Spec, KollectInventorySpec.JsonNames.ExportMinInterval), context.Report);
            CommonRules.CheckMaxExportBytes(spec.MaxExportBytes, FieldPath.Of(Spec, KollectInventorySpec.JsonNames.MaxExportBytes), context.Options, context.Report);
            WarnHttpEndpoint(spec.HttpEndpoint?.Enabled, KollectInventorySpec.JsonNames.HttpEndpoint, context.Report);
        }
        else if (context.Kind == KollectClusterInventory.KindName && context.Read(KollectJsonContext.Default.KollectClusterInventory)?.Spec is { } clusterSpec)
        {
            var view = new InventoryView(
                [
                    (KollectClusterInventorySpec.JsonNames.EventSinkRefs, clusterSpec.EventSinkRefs),
                    (KollectClusterInventorySpec.JsonNames.DatabaseSinkRefs, clusterSpec.DatabaseSinkRefs),
                    (KollectClusterInventorySpec.JsonNames.SnapshotSinkRefs, clusterSpec.SnapshotSinkRefs),
                ],
                clusterSpec.SinkNamespace ?? "");
            CheckSinkRefs(view, cluster: true, context.Options, context.Report);
            CommonRules.CheckInterval(clusterSpec.ExportMinInterval, FieldPath.Of(Spec, KollectClusterInventorySpec.JsonNames.ExportMinInterval), context.Report);
            CheckClusterScope(clusterSpec, context.Report);
        }
    }

    private static void WarnHttpEndpoint(bool? enabled, string field, ValidationReport report)
    {
        if (enabled == true)
        {
            report.Warning(FieldPath.Of(Spec, field), "the HTTP inventory endpoint is not supported by this operator; ignored");
        }
    }

    private static void CheckSinkRefs(InventoryView view, bool cluster, SemanticValidationOptions options, ValidationReport report)
    {
        var total = 0;
        var tooManyReported = false;
        var allTotal = view.Lists.Sum(list => list.Refs?.Count ?? 0);
        var fields = string.Join(", ", view.Lists.Take(view.Lists.Count - 1).Select(l => l.Field)) + " and " + view.Lists[^1].Field;
        for (var l = 0; l < view.Lists.Count; l++)
        {
            var (field, refs) = view.Lists[l];
            var path = FieldPath.Of(Spec, field);
            var count = refs?.Count ?? 0;
            total += count;
            if (total > MaxSinkRefs && !tooManyReported)
            {
                report.Error(path, FieldMessages.TooMany(allTotal, MaxSinkRefs, $"sink refs in {fields} together"));
                tooManyReported = true;
            }

            // The third list holds snapshot sink refs, which this operator does not export.
            if (l == 2 && count > 0)
            {
                report.Warning(path, $"not supported by this operator; ignored (only {view.Lists[0].Field} and {view.Lists[1].Field} are exported)");
            }

            var seen = new HashSet<(string Namespace, string Name)>();
            for (var i = 0; i < count; i++)
            {
                CheckSinkRef(refs![i], FieldPath.Item(path, i), cluster, view.SinkNamespace, seen, options, report);
            }
        }

        if ((view.Lists[0].Refs?.Count ?? 0) == 0 && (view.Lists[1].Refs?.Count ?? 0) == 0)
        {
            report.Warning(FieldPath.Of(Spec, view.Lists[0].Field), "no event or database sink refs: this inventory collects rows but exports them nowhere");
        }
    }

    private static void CheckSinkRef(
        SinkReference item,
        string path,
        bool cluster,
        string sinkNamespace,
        HashSet<(string Namespace, string Name)> seen,
        SemanticValidationOptions options,
        ValidationReport report)
    {
        if (item.Problem is not null)
        {
            // The schema names what is wrong with a ref it cannot read.
            return;
        }

        var namePath = item.IsShorthand ? path : FieldPath.Of(path, SinkReference.JsonNames.Name);
        var ns = sinkNamespace;
        if (!item.IsShorthand)
        {
            if (item.Namespace is { } refNamespace)
            {
                var namespacePath = FieldPath.Of(path, SinkReference.JsonNames.Namespace);
                if (!cluster)
                {
                    report.Error(namespacePath, FieldMessages.Forbidden($"sink refs of a namespaced inventory resolve in the inventory's own namespace; remove {SinkReference.JsonNames.Namespace}"));
                }
                else
                {
                    CommonRules.CheckNamespaceName(refNamespace, namespacePath, report);
                    ns = refNamespace;
                }
            }

            CommonRules.CheckInterval(item.ExportMinInterval, FieldPath.Of(path, SinkReference.JsonNames.ExportMinInterval), report);
            CommonRules.CheckMaxExportBytes(item.MaxExportBytes, FieldPath.Of(path, SinkReference.JsonNames.MaxExportBytes), options, report);
        }

        var name = item.Name;
        if (name.Length == 0)
        {
            report.Error(namePath, FieldMessages.Required("the name of the sink"));
        }
        else if (name.Contains('/', StringComparison.Ordinal))
        {
            report.Error(namePath, FieldMessages.Invalid(name, cluster
                ? $"must not contain '/': give the sink's namespace in the ref's {SinkReference.JsonNames.Namespace} field"
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

    private static void CheckClusterScope(KollectClusterInventorySpec spec, ValidationReport report)
    {
        var selectorPath = FieldPath.Of(Spec, KollectClusterInventorySpec.JsonNames.NamespaceSelector);
        if (spec.NamespaceSelector is not { MatchLabels.Count: > 0 } and not { MatchExpressions.Count: > 0 })
        {
            report.Error(selectorPath, FieldMessages.Required("select the namespaces to roll up with matchLabels or matchExpressions; an empty selector is not allowed"));
        }

        LabelSelectorRules.Check(spec.NamespaceSelector, selectorPath, report);
        var namespaces = spec.Namespaces ?? [];
        var namespacesPath = FieldPath.Of(Spec, KollectClusterInventorySpec.JsonNames.Namespaces);
        for (var i = 0; i < namespaces.Count; i++)
        {
            CommonRules.CheckNamespaceName(namespaces[i], FieldPath.Item(namespacesPath, i), report);
        }

        if (spec.SinkNamespace is { } sinkNamespace)
        {
            CommonRules.CheckNamespaceName(sinkNamespace, FieldPath.Of(Spec, KollectClusterInventorySpec.JsonNames.SinkNamespace), report);
        }

        if (spec.ProfileRef is { } profileRef)
        {
            var path = FieldPath.Of(Spec, KollectClusterInventorySpec.JsonNames.ProfileRef);
            CommonRules.CheckObjectName(profileRef.Name, FieldPath.Of(path, KollectClusterInventorySpecProfileRef.JsonNames.Name), "a KollectProfile", report);
            var namespacePath = FieldPath.Of(path, KollectClusterInventorySpecProfileRef.JsonNames.Namespace);
            if (string.IsNullOrEmpty(profileRef.Namespace))
            {
                report.Error(namespacePath, FieldMessages.Required("a cluster inventory names its profile by name and namespace"));
            }
            else
            {
                CommonRules.CheckNamespaceName(profileRef.Namespace, namespacePath, report);
            }
        }

        var targets = spec.TargetRefs ?? [];
        var targetsPath = FieldPath.Of(Spec, KollectClusterInventorySpec.JsonNames.TargetRefs);
        for (var i = 0; i < targets.Count; i++)
        {
            CommonRules.CheckObjectName(targets[i], FieldPath.Item(targetsPath, i), "a KollectClusterTarget", report);
        }

        LabelSelectorRules.Check(spec.TargetSelector, FieldPath.Of(Spec, KollectClusterInventorySpec.JsonNames.TargetSelector), report);
    }

    /// <summary>The parts both inventory kinds share: the three sink ref lists in order (event, database, snapshot) with their JSON names, and the default sink namespace.</summary>
    private sealed record InventoryView(IReadOnlyList<(string Field, List<SinkReference>? Refs)> Lists, string SinkNamespace);
}
