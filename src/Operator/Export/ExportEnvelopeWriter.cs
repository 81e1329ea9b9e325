using System.Buffers;

namespace Kollect.Operator.Export;

/// <summary>
/// Writes the export envelope (SPEC §4, golden <c>export-envelope.json</c>) in this field order:
/// <c>schemaVersion, checksum, generation</c> (omitted if 0), <c>partIndex, partTotal</c> (only
/// when multipart, 1-based), <c>itemCount, exportedAt, cluster</c> (omitted if empty), <c>items</c>;
/// and the event envelope around it (SPEC §5, golden <c>nats-event-envelope.json</c>):
/// <c>schemaVersion, timestamp, cluster</c> (always), <c>namespace, payload</c>.
/// </summary>
public static class ExportEnvelopeWriter
{
    /// <summary>Part markers of one part of a multipart export; null for a single-part export.</summary>
    public readonly record struct PartMarker(int Index, int Total);

    public static void WriteExportEnvelope(
        IBufferWriter<byte> output,
        EnvelopeContext context,
        string checksum,
        PartMarker? part,
        IReadOnlyList<ItemRow> rows,
        int start,
        int count)
    {
        ArgumentNullException.ThrowIfNull(context);
        var writer = new GoJsonWriter(output);
        writer.WriteRaw("{\"schemaVersion\":"u8);
        writer.WriteString(EnvelopeContext.SchemaVersion);
        writer.WriteRaw(",\"checksum\":"u8);
        writer.WriteString(checksum);
        if (context.Generation != 0)
        {
            writer.WriteRaw(",\"generation\":"u8);
            writer.WriteInt64(context.Generation);
        }
        if (part is { } marker)
        {
            writer.WriteRaw(",\"partIndex\":"u8);
            writer.WriteInt64(marker.Index);
            writer.WriteRaw(",\"partTotal\":"u8);
            writer.WriteInt64(marker.Total);
        }
        writer.WriteRaw(",\"itemCount\":"u8);
        writer.WriteInt64(count);
        writer.WriteRaw(",\"exportedAt\":"u8);
        writer.WriteString(RfcTimestamp.Format(context.ExportedAt));
        if (context.Cluster.Length > 0)
        {
            writer.WriteRaw(",\"cluster\":"u8);
            writer.WriteString(context.Cluster);
        }
        writer.WriteRaw(",\"items\":"u8);
        CanonicalRowArray.Write(output, rows, start, count);
        writer.WriteRaw((byte)'}');
    }

    /// <summary>Writes the event envelope with the export envelope of the given rows as its <c>payload</c>.</summary>
    public static void WriteEventEnvelope(
        IBufferWriter<byte> output,
        EnvelopeContext context,
        string checksum,
        PartMarker? part,
        IReadOnlyList<ItemRow> rows,
        int start,
        int count)
    {
        WriteEventEnvelopeStart(output, context);
        WriteExportEnvelope(output, context, checksum, part, rows, start, count);
        output.Write("}"u8);
    }

    /// <summary>Writes an event envelope around an already serialized payload (for example an export envelope read back from a file).</summary>
    public static void WriteEventEnvelope(IBufferWriter<byte> output, EnvelopeContext context, ReadOnlySpan<byte> payload)
    {
        WriteEventEnvelopeStart(output, context);
        output.Write(payload);
        output.Write("}"u8);
    }

    private static void WriteEventEnvelopeStart(IBufferWriter<byte> output, EnvelopeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var writer = new GoJsonWriter(output);
        writer.WriteRaw("{\"schemaVersion\":"u8);
        writer.WriteString(EnvelopeContext.SchemaVersion);
        writer.WriteRaw(",\"timestamp\":"u8);
        writer.WriteString(RfcTimestamp.Format(context.PublishedAt));
        writer.WriteRaw(",\"cluster\":"u8);
        writer.WriteString(context.Cluster);
        writer.WriteRaw(",\"namespace\":"u8);
        writer.WriteString(context.Namespace);
        writer.WriteRaw(",\"payload\":"u8);
    }
}
