using System.Text.Json;

namespace Kollect.Operator.Collect;

/// <summary>
/// Key lookup in a JSON object for keys that come from user-written paths. JsonElement throws
/// on a key that is not valid UTF-16 (a lone surrogate, possible in a path literal); such a key
/// cannot name any property, so it is simply not found. A repeated key finds its last
/// occurrence, as decoding into a Go map keeps the last value.
/// </summary>
internal static class JsonObjectLookup
{
    public static bool TryGet(JsonElement obj, string key, out JsonElement value)
    {
        if (obj.ValueKind != JsonValueKind.Object || !IsValidUtf16(key))
        {
            value = default;
            return false;
        }
        return obj.TryGetProperty(key, out value);
    }

    private static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }
}
