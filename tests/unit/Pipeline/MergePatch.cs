using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Pipeline;

/// <summary>RFC 7386 JSON merge patch, as the API server applies a status patch.</summary>
internal static class MergePatch
{
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch.ToList())
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject child)
            {
                if (target[key] is not JsonObject existing)
                {
                    existing = [];
                    target[key] = existing;
                }
                Apply(existing, child);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
