using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>JSON text helpers: compact output without HTML escaping, like Go's encoder for API objects.</summary>
public static class KubeJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(),
    };

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    /// <summary>Parses a request body; malformed JSON is a 400 with the parser's reason.</summary>
    public static JsonNode? ParseBody(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest($"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml: {e.Message}");
        }
    }
}
