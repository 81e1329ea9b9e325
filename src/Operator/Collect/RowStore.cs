using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Export;
using Kollect.Operator.Kube;
using Kollect.Operator.Manifests;

namespace Kollect.Operator.Collect;

/// <summary>
/// Turns a watched object into the rows of the targets that collect its kind (SPEC §3): watch
/// labels, namespace and object selection, attribute extraction once per profile, and the row or
/// failure kept in each <see cref="TargetState"/>. Guarded by the engine's lock.
/// </summary>
internal sealed class RowStore(TargetRegistry registry)
{
    /// <summary>
    /// The key a row is held under: the uid, or, for objects without one (manifests on disk fed
    /// to <c>kollect export</c>), namespace and name behind a NUL no uid contains.
    /// </summary>
    public static string ObjectKey(string ns, string name, string uid) => uid.Length > 0 ? uid : $"\0{ns}/{name}";

    public static string ObjectKey(JsonObject obj) =>
        ObjectKey(KubeObjects.Namespace(obj) ?? "", KubeObjects.Name(obj) ?? "", KubeObjects.Uid(obj) ?? "");

    /// <summary>An object of <paramref name="gvk"/> was added, modified or listed.</summary>
    public void Apply(GroupVersionKind gvk, JsonObject obj, CollectionChangeBuilder change)
    {
        var uid = KubeObjects.Uid(obj) ?? "";
        var name = KubeObjects.Name(obj) ?? "";
        var ns = KubeObjects.Namespace(obj) ?? "";
        var rowKey = ObjectKey(ns, name, uid);
        var labels = LabelSelectorMatcher.ReadMap(obj["metadata"]?["labels"]);
        labels.TryGetValue(CompiledTarget.WatchLabel, out var watch);
        JsonElement? element = null;
        JsonElement Element() => element ??= ManifestJson.ToElement(obj);
        var extracted = new Dictionary<CompiledProfile, AttributeExtractionResult>();
        foreach (var state in registry.Collecting(gvk))
        {
            if (watch == CompiledTarget.WatchDisabled || !Selects(state, gvk, ns, name, labels, watch == CompiledTarget.WatchEnabled, Element))
            {
                state.Drop(gvk, rowKey, change);
                continue;
            }
            var profile = state.Profile!;
            if (!extracted.TryGetValue(profile, out var result))
            {
                result = profile.Extractor!.Extract(Element());
                extracted[profile] = result;
            }
            if (!result.Succeeded)
            {
                state.Fail(gvk, rowKey, $"{gvk.Kind} {(ns.Length == 0 ? name : $"{ns}/{name}")}: {result.Failure}", change);
                continue;
            }
            var key = state.Spec.Key;
            state.Put(gvk, rowKey, ItemRow.Create(new ItemIdentity(key.Namespace, key.Name, ns, name, gvk.Group, gvk.Version, gvk.Kind, uid), result.Attributes), change);
        }
    }

    public void Delete(GroupVersionKind gvk, string objectKey, CollectionChangeBuilder change)
    {
        foreach (var state in registry.Collecting(gvk))
        {
            state.Drop(gvk, objectKey, change);
        }
    }

    /// <summary>Drops the rows of objects of <paramref name="gvk"/> a full LIST no longer had.</summary>
    public void DropUnseen(GroupVersionKind gvk, IReadOnlySet<string> seen, CollectionChangeBuilder change)
    {
        foreach (var state in registry.Collecting(gvk))
        {
            foreach (var objectKey in state.KnownObjectKeys(gvk).Where(k => !seen.Contains(k)))
            {
                state.Drop(gvk, objectKey, change);
            }
        }
    }

    /// <summary>Rows of every KollectTarget in <paramref name="ns"/>, in canonical order.</summary>
    public List<ItemRow> RowsForNamespace(string ns)
    {
        var rows = registry.InNamespace(ns).SelectMany(t => t.AllRows()).ToList();
        CanonicalRowArray.Sort(rows);
        return rows;
    }

    private bool Selects(TargetState state, GroupVersionKind gvk, string ns, string name, Dictionary<string, string> labels, bool optedIn, Func<JsonElement> element)
    {
        var spec = state.Spec;
        NamespaceInfo? info = null;
        if (ns.Length == 0)
        {
            if (!spec.Key.IsCluster || (spec.OptIn && !optedIn))
            {
                return false;
            }
        }
        else if (!registry.TryGetNamespace(ns, out info)
            || !(state.Effective.Contains(ns) || (optedIn && state.Candidate.Contains(ns))))
        {
            return false;
        }
        return spec.MatchesObject(gvk, name, labels, info, element);
    }
}
