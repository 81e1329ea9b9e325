using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>Reads both forms of <see cref="SinkReference"/> and writes back the form that was read.</summary>
public sealed class SinkReferenceJsonConverter : JsonConverter<SinkReference>
{
    /// <inheritdoc />
    public override SinkReference Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new SinkReference { Name = reader.GetString()!, IsShorthand = true };
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A sink reference must be a sink name or an object with a name.");
        }

        string? name = null;
        string? ns = null;
        Duration? interval = null;
        long? maxBytes = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            switch (property)
            {
                case "name":
                    name = reader.GetString();
                    break;
                case "namespace":
                    ns = reader.GetString();
                    break;
                case "exportMinInterval":
                    var text = reader.GetString();
                    interval = Duration.TryParse(text, out var parsed)
                        ? parsed
                        : throw new JsonException($"exportMinInterval \"{text}\" is not a duration such as \"30s\".");
                    break;
                case "maxExportBytes":
                    maxBytes = reader.GetInt64();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new SinkReference
        {
            Name = name ?? throw new JsonException("A sink reference object needs a name."),
            Namespace = ns,
            ExportMinInterval = interval,
            MaxExportBytes = maxBytes,
        };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, SinkReference value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.IsShorthand && value.Namespace is null && value.ExportMinInterval is null && value.MaxExportBytes is null)
        {
            writer.WriteStringValue(value.Name);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        if (value.Namespace is not null)
        {
            writer.WriteString("namespace", value.Namespace);
        }

        if (value.ExportMinInterval is { } interval)
        {
            writer.WriteString("exportMinInterval", interval.ToString());
        }

        if (value.MaxExportBytes is { } maxBytes)
        {
            writer.WriteNumber("maxExportBytes", maxBytes);
        }

        writer.WriteEndObject();
    }
}
