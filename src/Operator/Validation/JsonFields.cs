using System.Text.Json;

namespace Kollect.Operator.Validation;

/// <summary>Tolerant accessors: the schema validator reports wrong types, so semantic rules skip them quietly.</summary>
internal static class JsonFields
{
    public static JsonElement Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    public static bool Has(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public static string? GetString(JsonElement obj, string name) =>
        Get(obj, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool IsObject(JsonElement value) => value.ValueKind == JsonValueKind.Object;

    public static bool IsArray(JsonElement value) => value.ValueKind == JsonValueKind.Array;

    public static IEnumerable<(int Index, JsonElement Item)> Items(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().Select((item, index) => (index, item)) : [];

    public static int Count(JsonElement array) => array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0;
}
