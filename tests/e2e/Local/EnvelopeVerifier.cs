using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// Checks a published message against SPEC §4–§6 as an independent consumer would: event and
/// export envelope field order, canonical (Go <c>encoding/json</c>) bytes, row order and shape,
/// the checksum recomputed from the raw <c>items</c> bytes, the headers of §5, the Kafka key of
/// §6.1 and the <c>Nats-Msg-Id</c> of §6.2. Every failure names the message and quotes its body.
/// </summary>
public static partial class EnvelopeVerifier
{
    public const string SchemaVersion = "kollect.dev/v1alpha1";

    private static readonly string[] EventFields = ["schemaVersion", "timestamp", "cluster", "namespace", "payload"];
    private static readonly string[] ExportFields = ["schemaVersion", "checksum", "generation", "partIndex", "partTotal", "itemCount", "exportedAt", "cluster", "items"];
    private static readonly string[] ItemFields = ["targetNamespace", "targetName", "namespace", "name", "group", "version", "kind", "uid", "attributes"];

    /// <summary>Verifies <paramref name="message"/>, published for inventory <paramref name="inventory"/> (<c>ns/name</c>, or the name of a cluster inventory).</summary>
    public static VerifiedEnvelope Verify(PublishedMessage message, string inventory)
    {
        var body = message.Body;
        var context = $"{message}";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw Fail(message, $"body is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            Check(message, root.ValueKind == JsonValueKind.Object, "the event envelope is not a JSON object");
            CheckFieldOrder(message, "event envelope", root, EventFields, required: EventFields);
            Check(message, GoStyleJson.Serialize(root).AsSpan().SequenceEqual(body), "the body is not canonical Go encoding/json output (compact, member order as written, <>& and U+2028/9 escaped, other non-ASCII raw)");
            Check(message, root.GetProperty("schemaVersion").GetString() == SchemaVersion, "event envelope schemaVersion");
            var cluster = root.GetProperty("cluster").GetString()!;
            var ns = root.GetProperty("namespace").GetString()!;
            var timestamp = ParseTimestamp(message, "timestamp", root.GetProperty("timestamp"));

            var payload = root.GetProperty("payload");
            Check(message, payload.ValueKind == JsonValueKind.Object, "payload is not an export envelope object");
            CheckFieldOrder(message, "export envelope", payload, ExportFields, required: ["schemaVersion", "checksum", "itemCount", "exportedAt", "items"]);
            Check(message, payload.GetProperty("schemaVersion").GetString() == SchemaVersion, "export envelope schemaVersion");
            var checksum = payload.GetProperty("checksum").GetString()!;
            Check(message, ChecksumPattern().IsMatch(checksum), $"checksum '{checksum}' is not 64 lower-case hex digits");
            long generation = 0;
            if (payload.TryGetProperty("generation", out var generationElement))
            {
                generation = generationElement.GetInt64();
                Check(message, generation > 0, "generation is present but not positive (SPEC §4 omits it when 0)");
            }
            int? partIndex = payload.TryGetProperty("partIndex", out var pi) ? pi.GetInt32() : null;
            int? partTotal = payload.TryGetProperty("partTotal", out var pt) ? pt.GetInt32() : null;
            Check(message, partIndex.HasValue == partTotal.HasValue, "partIndex and partTotal must come together");
            if (partTotal is { } total)
            {
                Check(message, total > 1 && partIndex >= 1 && partIndex <= total, $"part markers {partIndex}/{total} are not a 1-based index into a multipart export");
            }
            if (payload.TryGetProperty("cluster", out var payloadCluster))
            {
                Check(message, payloadCluster.GetString() == cluster && cluster.Length > 0, "payload cluster differs from the event envelope's (or is empty instead of omitted)");
            }
            else
            {
                Check(message, cluster.Length == 0, "payload cluster is omitted although the event envelope names a cluster");
            }
            var exportedAt = ParseTimestamp(message, "exportedAt", payload.GetProperty("exportedAt"));

            var items = payload.GetProperty("items");
            Check(message, items.ValueKind == JsonValueKind.Array, "items is not an array");
            var itemCount = payload.GetProperty("itemCount").GetInt32();
            Check(message, itemCount == items.GetArrayLength(), $"itemCount {itemCount} but {items.GetArrayLength()} items");
            CheckItems(message, items);

            var recomputed = Convert.ToHexStringLower(SHA256.HashData(RawItems(body)));
            Check(message, recomputed == checksum, $"checksum {checksum} but SHA-256 of the items bytes is {recomputed}");

            CheckHeaders(message, inventory, checksum, generation, partIndex, partTotal);
            var scope = $"{cluster}/{ns}";
            if (message.Broker == Broker.Kafka)
            {
                Check(message, message.Key == scope, $"Kafka key '{message.Key}' is not '<cluster>/<namespace>' = '{scope}'");
            }
            else
            {
                var expectedId = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(scope + "/"), .. RawPayload(body)]));
                Check(message, message.Header("Nats-Msg-Id") == expectedId, $"Nats-Msg-Id '{message.Header("Nats-Msg-Id")}' is not sha256hex('{scope}/' + payload bytes) = {expectedId}");
            }

            var parsedItems = JsonNode.Parse(items.GetRawText())!.AsArray().Select(n => n!.AsObject()).ToList();
            var payloadLength = Encoding.UTF8.GetByteCount(payload.GetRawText());
            return new VerifiedEnvelope(message, cluster, ns, timestamp, checksum, generation, partIndex, partTotal, itemCount, exportedAt, parsedItems, payloadLength);
        }
    }

    /// <summary>Verifies each message; see <see cref="Verify(PublishedMessage, string)"/>.</summary>
    public static List<VerifiedEnvelope> VerifyAll(IEnumerable<PublishedMessage> messages, string inventory) =>
        messages.Select(m => Verify(m, inventory)).ToList();

    /// <summary>
    /// The bytes of <c>payload.items</c> exactly as they appear in an event envelope (or of <c>items</c>
    /// in a bare export envelope, <paramref name="itemsDepth"/> 1): what the checksum covers (SPEC §4).
    /// </summary>
    public static byte[] RawItems(byte[] json, int itemsDepth = 2) =>
        RawMember(json, "items"u8, itemsDepth) ?? throw new Xunit.Sdk.XunitException(itemsDepth == 2 ? "no payload.items in the body" : "no items in the export envelope");

    /// <summary>The bytes of an event envelope's <c>payload</c> (the export envelope): what <c>Nats-Msg-Id</c> hashes (SPEC §6.2).</summary>
    public static byte[] RawPayload(byte[] json) =>
        RawMember(json, "payload"u8, 1) ?? throw new Xunit.Sdk.XunitException("no payload in the body");

    private static byte[]? RawMember(byte[] json, ReadOnlySpan<byte> name, int depth)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth && reader.ValueTextEquals(name))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return json[start..(int)reader.BytesConsumed];
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= depth)
            {
                reader.Skip();
            }
        }
        return null;
    }

    private static void CheckItems(PublishedMessage message, JsonElement items)
    {
        string? previous = null;
        var position = 0;
        foreach (var item in items.EnumerateArray())
        {
            position++;
            Check(message, item.ValueKind == JsonValueKind.Object, $"item {position} is not an object");
            CheckFieldOrder(message, $"item {position}", item, ItemFields, required: ["targetNamespace", "targetName", "namespace", "name", "version", "kind", "uid", "attributes"]);
            if (item.TryGetProperty("group", out var group))
            {
                Check(message, group.GetString()!.Length > 0, $"item {position}: group must be omitted when empty (SPEC §3)");
            }
            var attributes = item.GetProperty("attributes");
            Check(message, attributes.ValueKind == JsonValueKind.Object, $"item {position}: attributes is not an object");
            CheckSortedMaps(message, $"item {position} attributes", attributes);
            var key = string.Join('\0', new[] { "targetNamespace", "targetName", "namespace", "name", "uid", "group", "version", "kind" }
                .Select(f => item.TryGetProperty(f, out var v) ? v.GetString() : ""));
            Check(message, previous is null || string.CompareOrdinal(previous, key) <= 0, $"item {position} is out of canonical order (SPEC §4)");
            previous = key;
        }
    }

    private static void CheckSortedMaps(PublishedMessage message, string where, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in value.EnumerateArray())
            {
                CheckSortedMaps(message, where, element);
            }
            return;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        string? previous = null;
        foreach (var member in value.EnumerateObject())
        {
            Check(message, previous is null || string.CompareOrdinal(previous, member.Name) < 0, $"{where}: key '{member.Name}' after '{previous}' — map keys must be sorted (SPEC §4)");
            previous = member.Name;
            CheckSortedMaps(message, where, member.Value);
        }
    }

    private static void CheckHeaders(PublishedMessage message, string inventory, string checksum, long generation, int? partIndex, int? partTotal)
    {
        Check(message, message.Header("kollect-inventory") == inventory, $"header kollect-inventory '{message.Header("kollect-inventory")}', expected '{inventory}'");
        Check(message, message.Header("kollect-checksum") == checksum, $"header kollect-checksum '{message.Header("kollect-checksum")}' differs from payload.checksum");
        Check(message, message.Header("kollect-generation") == generation.ToString(CultureInfo.InvariantCulture), $"header kollect-generation '{message.Header("kollect-generation")}', payload generation {generation}");
        var part = partTotal is { } total ? $"{partIndex}/{total}" : "1/1";
        Check(message, message.Header("kollect-part") == part, $"header kollect-part '{message.Header("kollect-part")}', expected '{part}'");
        Check(message, message.Header("content-type") == "application/json", $"header content-type '{message.Header("content-type")}'");
    }

    /// <summary>The members must be a subsequence of <paramref name="order"/> including every <paramref name="required"/> one.</summary>
    private static void CheckFieldOrder(PublishedMessage message, string what, JsonElement value, string[] order, string[] required)
    {
        var names = value.EnumerateObject().Select(m => m.Name).ToList();
        var at = 0;
        foreach (var name in names)
        {
            var index = Array.IndexOf(order, name, at);
            Check(message, index >= 0, $"{what}: fields [{string.Join(", ", names)}] are not in the order [{string.Join(", ", order)}] (or '{name}' is unknown or repeated)");
            at = index + 1;
        }
        foreach (var name in required)
        {
            Check(message, names.Contains(name), $"{what}: field '{name}' is missing; fields are [{string.Join(", ", names)}]");
        }
    }

    private static DateTimeOffset ParseTimestamp(PublishedMessage message, string field, JsonElement value)
    {
        var text = value.GetString() ?? "";
        Check(message, TimestampPattern().IsMatch(text), $"{field} '{text}' is not UTC RFC 3339 with trailing zeros trimmed");
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    private static void Check(PublishedMessage message, bool condition, string problem)
    {
        if (!condition)
        {
            throw Fail(message, problem);
        }
    }

    private static Xunit.Sdk.XunitException Fail(PublishedMessage message, string problem)
    {
        var text = Encoding.UTF8.GetString(message.Body);
        var headers = string.Join(", ", message.Headers.Select(h => $"{h.Key}={h.Value}"));
        return new Xunit.Sdk.XunitException($"{message}: {problem}\nkey: {message.Key}\nheaders: {headers}\nbody ({message.Body.Length} bytes): {(text.Length > 2000 ? text[..2000] + "…" : text)}");
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex ChecksumPattern();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$")]
    private static partial Regex TimestampPattern();
}
