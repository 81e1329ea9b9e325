using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>Reads a JSON integer or string into <see cref="IntOrString"/> and writes the same form back.</summary>
public sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    /// <inheritdoc />
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        return reader.TokenType switch
        {
            JsonTokenType.String => new IntOrString(reader.GetString()!),
            JsonTokenType.Number when reader.TryGetInt32(out var number) => new IntOrString(number),
            _ => throw new JsonException("An int-or-string value must be a 32-bit integer or a string."),
        };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.IsInt)
        {
            writer.WriteNumberValue(value.IntValue);
        }
        else
        {
            writer.WriteStringValue(value.StringValue);
        }
    }
}
