using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>
/// Reads and writes the API's <c>format: date-time</c> fields as Go's <c>time.Time</c> does
/// (<c>time.RFC3339Nano</c> in UTC: fraction trimmed of trailing zeros, none when zero, ending in
/// <c>Z</c>), not System.Text.Json's <c>+00:00</c> form, so a status written from a generated type
/// is byte for byte what the original writes. <c>metav1.Time</c> fields hold whole seconds: their
/// writers truncate before they set them.
/// </summary>
public sealed class RfcTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The RFC 3339 text of <paramref name="time"/> in UTC, as Go's <c>time.RFC3339Nano</c>.</summary>
    public static string Format(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        return fraction == 0
            ? text + "Z"
            : text + "." + fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
    }

    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value))
        {
            return value;
        }

        throw new JsonException("A date-time must be an RFC 3339 string such as \"2026-01-01T00:00:00Z\".");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }
}
