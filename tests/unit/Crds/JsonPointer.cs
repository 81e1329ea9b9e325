using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Crds;

/// <summary>RFC 6901 JSON pointers over <see cref="JsonNode"/> trees.</summary>
public static class JsonPointer
{
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Unescape(string token) => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    /// <summary>Returns the node at <paramref name="pointer"/>, or null when any step is missing.</summary>
    public static JsonNode? Resolve(JsonNode root, string pointer)
    {
        if (pointer.Length == 0)
        {
            return root;
        }

        if (pointer[0] != '/')
        {
            return null;
        }

        JsonNode? current = root;
        foreach (var token in pointer[1..].Split('/').Select(Unescape))
        {
            current = current switch
            {
                JsonObject obj => obj.TryGetPropertyValue(token, out var child) ? child : null,
                JsonArray array when int.TryParse(token, out var index) && index >= 0 && index < array.Count => array[index],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }
}
