using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kollect.Operator.Export;

/// <summary>
/// Message metadata of SPEC §5 and §6: headers (Kafka and NATS alike), the Kafka key and the
/// NATS <c>Nats-Msg-Id</c>.
/// </summary>
public static class ExportMessageMetadata
{
    public const string InventoryHeader = "kollect-inventory";
    public const string ChecksumHeader = "kollect-checksum";
    public const string GenerationHeader = "kollect-generation";
    public const string PartHeader = "kollect-part";
    public const string ContentTypeHeader = "content-type";
    public const string ContentType = "application/json";

    /// <summary>
    /// Headers for one part, in this order: <c>kollect-inventory</c> (<c>&lt;ns&gt;/&lt;name&gt;</c>;
    /// a cluster inventory has no namespace and gives just its name), <c>kollect-checksum</c> (the
    /// part's checksum), <c>kollect-generation</c> (decimal), <c>kollect-part</c> (<c>i/n</c>, <c>1/1</c>
    /// for a single part), <c>content-type: application/json</c>.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Headers(string inventoryNamespace, string inventoryName, ExportPart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        var inventory = string.IsNullOrEmpty(inventoryNamespace) ? inventoryName : $"{inventoryNamespace}/{inventoryName}";
        return
        [
            new(InventoryHeader, inventory),
            new(ChecksumHeader, part.Checksum),
            new(GenerationHeader, part.Generation.ToString(CultureInfo.InvariantCulture)),
            new(PartHeader, $"{part.Index}/{part.Total}"),
            new(ContentTypeHeader, ContentType),
        ];
    }

    /// <summary>Kafka message key <c>&lt;cluster&gt;/&lt;namespace&gt;</c> (SPEC §6.1), namespace being the envelope's.</summary>
    public static string KafkaKey(string cluster, string envelopeNamespace) => $"{cluster}/{envelopeNamespace}";

    /// <summary>
    /// <c>Nats-Msg-Id</c> (SPEC §6.2): lower-hex SHA-256 of the UTF-8 of
    /// <c>&lt;cluster&gt;/&lt;namespace&gt;/</c> followed by the bytes of the export envelope — the
    /// event envelope's <c>payload</c> field (<see cref="ExportPart.ExportEnvelope"/>), not the whole
    /// message body — as the original computes it (issue #12). The export envelope carries
    /// <c>exportedAt</c>, so the id still names one export attempt: a retry of the same bytes is
    /// deduplicated, while a later export of identical content (A→B→A) gets a new id.
    /// </summary>
    public static string NatsMessageId(string cluster, string envelopeNamespace, ReadOnlySpan<byte> exportEnvelope)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{cluster}/{envelopeNamespace}/"));
        hash.AppendData(exportEnvelope);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }
}
