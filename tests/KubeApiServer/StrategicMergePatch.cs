using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// A reduced strategic merge patch for built-ins (what <c>kubectl apply</c> sends): a merge
/// patch, except that lists of objects with a known merge key (containers by name, ports by
/// containerPort, conditions by type, …) are merged element-wise, <c>finalizers</c> merge as a
/// set, and the directives <c>$patch</c>, <c>$deleteFromPrimitiveList/…</c>,
/// <c>$setElementOrder/…</c> and <c>$retainKeys</c> are honoured or ignored. The real server
/// reads merge keys from Go struct tags; this table covers the fields our tests touch.
/// </summary>
public static class StrategicMergePatch
{
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["ports"] = "containerPort",
        ["conditions"] = "type",
        ["imagePullSecrets"] = "name",
        ["ownerReferences"] = "uid",
    };

    private static readonly HashSet<string> PrimitiveSetLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        if ((string?)patchObject["$patch"] == "replace")
        {
            var replaced = (JsonObject)patchObject.DeepClone();
            replaced.Remove("$patch");
            return replaced;
        }
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray existing && value is JsonArray removals)
                {
                    var remaining = existing.Where(e => !removals.Any(r => JsonNode.DeepEquals(e, r))).Select(e => e?.DeepClone()).ToArray();
                    result[field] = new JsonArray(remaining);
                }
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
            }
            else if (value is JsonArray list && result[key] is JsonArray current && MergeKeys.TryGetValue(key, out var mergeKey))
            {
                result[key] = MergeList(current, list, mergeKey);
            }
            else if (value is JsonArray values && result[key] is JsonArray set && PrimitiveSetLists.Contains(key))
            {
                var merged = (JsonArray)set.DeepClone();
                foreach (var item in values)
                {
                    if (!merged.Any(m => JsonNode.DeepEquals(m, item)))
                    {
                        merged.Add(item?.DeepClone());
                    }
                }
                result[key] = merged;
            }
            else if (value is JsonObject { Count: 1 } deletion && (string?)deletion["$patch"] == "delete")
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray current, JsonArray patch, string mergeKey)
    {
        var merged = current.Select(e => e?.DeepClone()).ToList();
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement || patchElement[mergeKey] is null)
            {
                merged.Add(element?.DeepClone());
                continue;
            }
            var index = merged.FindIndex(m => m is JsonObject o && JsonNode.DeepEquals(o[mergeKey], patchElement[mergeKey]));
            if ((string?)patchElement["$patch"] == "delete")
            {
                if (index >= 0)
                {
                    merged.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                merged[index] = Apply(merged[index], patchElement);
            }
            else
            {
                merged.Add(Apply(null, patchElement));
            }
        }
        return new JsonArray(merged.ToArray());
    }
}
