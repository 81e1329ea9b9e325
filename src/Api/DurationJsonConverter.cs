using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>Reads and writes <see cref="Duration"/> as its Go string form.</summary>
public sealed class DurationJsonConverter : JsonConverter<Duration>
{
    /// <inheritdoc />
    public override Duration Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("A duration must be a string such as \"30s\" or \"1h30m\".");
        }

        var text = reader.GetString();
        if (!Duration.TryParse(text, out var value))
        {
            throw new JsonException($"\"{text}\" is not a duration; use a Go duration such as \"30s\" or \"1h30m\".");
        }

        return value;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Duration value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
