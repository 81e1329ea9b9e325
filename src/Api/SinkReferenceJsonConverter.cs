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

        // A ref that cannot be read keeps its problem instead of failing the whole object, so that
        // an inventory's other refs are still exported (SPEC §2.2: each ref fails on its own).
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new SinkReference { Name = "", Problem = "A sink reference must be a sink name or an object with a name." };
        }

        string? name = null;
        string? ns = null;
        string? problem = null;
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
                case SinkReference.JsonNames.Name when reader.TokenType == JsonTokenType.String:
                    name = reader.GetString();
                    break;
                case SinkReference.JsonNames.Namespace when reader.TokenType == JsonTokenType.String:
                    ns = reader.GetString();
                    break;
                case SinkReference.JsonNames.ExportMinInterval when reader.TokenType == JsonTokenType.String:
                    var text = reader.GetString();
                    if (Duration.TryParse(text, out var parsed))
                    {
                        interval = parsed;
                    }
                    else
                    {
                        problem ??= $"exportMinInterval \"{text}\" is not a duration such as \"30s\".";
                    }

                    break;
                case SinkReference.JsonNames.MaxExportBytes when reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var bytes):
                    maxBytes = bytes;
                    break;
                case SinkReference.JsonNames.Name or SinkReference.JsonNames.Namespace or SinkReference.JsonNames.ExportMinInterval or SinkReference.JsonNames.MaxExportBytes:
                    problem ??= $"{property} has the wrong type.";
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new SinkReference
        {
            Name = name ?? "",
            Namespace = ns,
            ExportMinInterval = interval,
            MaxExportBytes = maxBytes,
            Problem = problem ?? (name is null ? "A sink reference object needs a name." : null),
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
        writer.WriteString(SinkReference.JsonNames.Name, value.Name);
        if (value.Namespace is not null)
        {
            writer.WriteString(SinkReference.JsonNames.Namespace, value.Namespace);
        }

        if (value.ExportMinInterval is { } interval)
        {
            writer.WriteString(SinkReference.JsonNames.ExportMinInterval, interval.ToString());
        }

        if (value.MaxExportBytes is { } maxBytes)
        {
            writer.WriteNumber(SinkReference.JsonNames.MaxExportBytes, maxBytes);
        }

        writer.WriteEndObject();
    }
}
