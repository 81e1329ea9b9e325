using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Export;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// Which collected rows an inventory exports (SPEC §2.2, §2.3) — decided here only, for the
/// operator and <c>kollect export</c> alike. A <c>KollectInventory</c> exports the rows of every
/// KollectTarget in its namespace; a <c>KollectClusterInventory</c> those of the
/// KollectClusterTargets it selects, filtered by namespace, with <c>dedupe</c>.
/// </summary>
public static class InventorySelection
{
    /// <summary>
    /// The rows of <paramref name="inventory"/>, whose kind is <paramref name="kind"/> (items of a
    /// list response carry no <c>kind</c>). A KollectInventory without a namespace (a manifest on
    /// disk) is in <c>default</c>, as kubectl would place it.
    /// </summary>
    public static InventoryRows Select(CollectionEngine engine, string kind, JsonObject inventory)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(inventory);
        return kind == KollectClusterInventory.KindName
            ? ForClusterInventory(engine, inventory.Deserialize(KollectJsonContext.Default.KollectClusterInventory)!)
            : new InventoryRows(engine.RowsForNamespace(KubeObjects.Namespace(inventory) ?? "default"), []);
    }

    /// <summary>
    /// Rows a KollectClusterInventory exports (SPEC §2.3): rows of the KollectClusterTargets it
    /// selects (<c>spec.targetRefs</c> names; else <c>spec.targetSelector</c> on target labels;
    /// else all) whose object namespace matches <c>spec.namespaceSelector</c> and, when set,
    /// <c>spec.namespaces</c>. Cluster-scoped rows (namespace "") belong to no namespace and are
    /// kept: the target already chose to collect them. Rows are in canonical order; with
    /// <c>dedupe: byResourceUID</c> rows sharing namespace and uid (name, for objects without a uid) collapse into one, placed where
    /// the first of them is in canonical order and holding the last of them in that order.
    /// </summary>
    public static InventoryRows ForClusterInventory(CollectionEngine engine, KollectClusterInventory clusterInventory)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(clusterInventory);
        const string Spec = KollectClusterInventory.JsonNames.Spec;
        var display = $"KollectClusterInventory {clusterInventory.Metadata.Name}";
        var spec = clusterInventory.Spec;
        var problems = new List<string>();
        if (spec?.ProfileRef is not null)
        {
            var profileRef = $"{Spec}.{KollectClusterInventorySpec.JsonNames.ProfileRef}";
            problems.Add($"{display}: {profileRef} is not supported; rows keep the attributes of each target's own profile. Remove {profileRef}.");
        }
        LabelSelectorMatcher namespaceSelector;
        LabelSelectorMatcher? targetSelector;
        try
        {
            namespaceSelector = LabelSelectorMatcher.Compile(spec?.NamespaceSelector, $"{Spec}.{KollectClusterInventorySpec.JsonNames.NamespaceSelector}");
            targetSelector = spec?.TargetSelector is null ? null : LabelSelectorMatcher.Compile(spec.TargetSelector, $"{Spec}.{KollectClusterInventorySpec.JsonNames.TargetSelector}");
        }
        catch (FormatException error)
        {
            problems.Add($"{display}: {error.Message}");
            return new InventoryRows([], problems);
        }
        var namespaceNames = spec?.Namespaces is { Count: > 0 } list ? list.ToHashSet(StringComparer.Ordinal) : null;
        var targetRefs = spec?.TargetRefs ?? [];
        var byUid = spec?.Dedupe == KollectClusterInventorySpecDedupe.ByResourceUID;
        var targetRefsPath = $"{Spec}.{KollectClusterInventorySpec.JsonNames.TargetRefs}";

        var rows = engine.Read(collected =>
        {
            var selected = new List<IEnumerable<ItemRow>>();
            if (targetRefs.Count > 0)
            {
                var named = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < targetRefs.Count; i++)
                {
                    if (collected.ClusterTargetRows(targetRefs[i]) is not { } targetRows)
                    {
                        problems.Add($"{display}: {targetRefsPath}[{i}]: KollectClusterTarget '{targetRefs[i]}' does not exist; create it or fix the name.");
                    }
                    else if (named.Add(targetRefs[i]))
                    {
                        selected.Add(targetRows);
                    }
                }
            }
            else
            {
                selected.AddRange(collected.ClusterTargets
                    .Where(t => targetSelector is null || targetSelector.Matches(t.Labels))
                    .Select(t => collected.ClusterTargetRows(t.Name)!));
            }

            var allowed = new Dictionary<string, bool>(StringComparer.Ordinal) { [""] = true };
            var admitted = new List<(ItemRow Row, ItemIdentity Identity)>();
            foreach (var row in selected.SelectMany(r => r))
            {
                var identity = row.Identity;
                if (!allowed.TryGetValue(identity.Namespace, out var admit))
                {
                    admit = collected.NamespaceLabels(identity.Namespace) is { } labels
                        && namespaceSelector.Matches(labels)
                        && (namespaceNames is null || namespaceNames.Contains(identity.Namespace));
                    allowed[identity.Namespace] = admit;
                }
                if (admit)
                {
                    admitted.Add((row, identity));
                }
            }
            return admitted;
        });
        rows.Sort(static (a, b) => a.Row.CompareTo(b.Row));
        return new InventoryRows(byUid ? DedupeByUid(rows) : rows.Select(r => r.Row).ToList(), problems);
    }

    private static List<ItemRow> DedupeByUid(List<(ItemRow Row, ItemIdentity Identity)> rows)
    {
        var result = new List<ItemRow>(rows.Count);
        // Objects without a uid (manifests on disk) are told apart by name.
        var positions = new Dictionary<(string Namespace, string Uid, string Name), int>();
        foreach (var (row, identity) in rows)
        {
            var key = (identity.Namespace, identity.Uid, identity.Uid.Length > 0 ? "" : identity.Name);
            if (positions.TryGetValue(key, out var position))
            {
                result[position] = row;
            }
            else
            {
                positions[key] = result.Count;
                result.Add(row);
            }
        }
        return result;
    }
}
