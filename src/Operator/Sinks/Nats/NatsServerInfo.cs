using System.Text.Json;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>The fields of the server's <c>INFO</c> this client uses.</summary>
/// <param name="ServerId">Server id.</param>
/// <param name="Version">Server version.</param>
/// <param name="MaxPayload">Largest message (headers + payload) the server accepts.</param>
/// <param name="HeadersSupported">Whether the server understands HPUB/HMSG.</param>
/// <param name="TlsRequired">Whether the client must upgrade to TLS after INFO.</param>
/// <param name="AuthRequired">Whether the server expects credentials.</param>
/// <param name="JetStream">Whether the server runs JetStream.</param>
/// <param name="ConnectUrls">Cluster peers the server advertises (not used for reconnect).</param>
public sealed record NatsServerInfo(
    string ServerId,
    string Version,
    long MaxPayload,
    bool HeadersSupported,
    bool TlsRequired,
    bool AuthRequired,
    bool JetStream,
    IReadOnlyList<string> ConnectUrls)
{
    /// <summary>The server's default <c>max_payload</c>, used when INFO omits it.</summary>
    public const long DefaultMaxPayload = 1024 * 1024;

    /// <summary>Parses the JSON that follows <c>INFO</c>.</summary>
    public static NatsServerInfo Parse(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            List<string> urls = [];
            if (root.TryGetProperty("connect_urls", out JsonElement connectUrls) && connectUrls.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement url in connectUrls.EnumerateArray())
                {
                    if (url.ValueKind == JsonValueKind.String)
                    {
                        urls.Add(url.GetString()!);
                    }
                }
            }

            return new NatsServerInfo(
                String(root, "server_id"),
                String(root, "version"),
                root.TryGetProperty("max_payload", out JsonElement max) && max.TryGetInt64(out long maxPayload) && maxPayload > 0 ? maxPayload : DefaultMaxPayload,
                Bool(root, "headers"),
                Bool(root, "tls_required"),
                Bool(root, "auth_required"),
                Bool(root, "jetstream"),
                urls);
        }
        catch (JsonException e)
        {
            throw new NatsException(NatsFailureKind.ProtocolError, "the NATS server sent an INFO that is not valid JSON", e);
        }
    }

    private static string String(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static bool Bool(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;
}
