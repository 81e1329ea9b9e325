using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kollect.Operator.Manifests;

/// <summary>Converts manifest trees between the mutable <see cref="JsonNode"/> form and read-only <see cref="JsonElement"/>.</summary>
public static class ManifestJson
{
    // Manifests nest deeper than JsonDocument's default of 64 only in pathological cases; allow some headroom.
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256 };

    /// <summary>A detached <see cref="JsonElement"/> with the same content as <paramref name="node"/>.</summary>
    public static JsonElement ToElement(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = 256 }))
        {
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory, DocumentOptions);
        return document.RootElement.Clone();
    }
}
