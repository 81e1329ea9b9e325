using System.Globalization;
using System.Text.Json;
using Kollect.Api.Schema;

namespace Kollect.Operator.Validation;

/// <summary>
/// Message shapes of Kubernetes field errors (<c>Required value</c>, <c>Invalid value: "x": …</c>,
/// <c>Unsupported value</c>, <c>Forbidden</c>, <c>Duplicate value</c>, <c>Too many</c>), so our
/// problems read like the API server's.
/// </summary>
public static class FieldMessages
{
    public static string Required(string detail) => "Required value: " + detail;

    public static string Invalid(string value, string detail) => $"Invalid value: {Quote(value)}: {detail}";

    public static string Invalid(long value, string detail) => $"Invalid value: {value.ToString(CultureInfo.InvariantCulture)}: {detail}";

    public static string Invalid(JsonElement value, string detail) => $"Invalid value: {Render(value)}: {detail}";

    public static string NotSupported(string value, IEnumerable<string> supported) =>
        $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(Quote))}";

    public static string Forbidden(string detail) => "Forbidden: " + detail;

    public static string Duplicate(string value) => "Duplicate value: " + Quote(value);

    public static string TooMany(int actual, int max, string what) =>
        $"Too many: {actual.ToString(CultureInfo.InvariantCulture)}: must have at most {max.ToString(CultureInfo.InvariantCulture)} {what}";

    /// <summary>An enum value of a generated model as the manifest spells it (<c>kafka</c>, <c>byResourceUID</c>).</summary>
    public static string Text<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : struct, Enum => JsonSerializer.Serialize(value, type).Trim('"');

    /// <summary>A quoted value, so spaces and empty values are visible (shared with the schema checks).</summary>
    public static string Quote(string value) => QuotedText.Quote(value);

    private static string Render(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.Undefined => "undefined",
        _ => value.GetRawText(),
    };
}
