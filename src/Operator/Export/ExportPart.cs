namespace Kollect.Operator.Export;

/// <summary>
/// One message of an export (SPEC §4, §5): the event envelope bytes exactly as they are sent,
/// the export envelope inside them (its <c>payload</c>), and the facts that go into headers.
/// <see cref="Index"/> and <see cref="Total"/> are 1-based; a single-part export is 1/1 and
/// carries no part markers in its envelope.
/// </summary>
public sealed class ExportPart
{
    /// <param name="exportEnvelopeStart">Where the export envelope starts in <paramref name="message"/>; it ends before the event envelope's closing brace.</param>
    public ExportPart(int index, int total, string checksum, int itemCount, long generation, byte[] message, int exportEnvelopeStart)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(exportEnvelopeStart);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exportEnvelopeStart, message.Length - 1);
        Index = index;
        Total = total;
        Checksum = checksum;
        ItemCount = itemCount;
        Generation = generation;
        Message = message;
        ExportEnvelope = message.AsMemory(exportEnvelopeStart, message.Length - exportEnvelopeStart - 1);
    }

    public int Index { get; }
    public int Total { get; }

    /// <summary>The part's own checksum: SHA-256 of the canonical array of this part's rows.</summary>
    public string Checksum { get; }

    public int ItemCount { get; }
    public long Generation { get; }

    /// <summary>The event envelope (with the export envelope as payload): the message body.</summary>
    public byte[] Message { get; }

    /// <summary>The export envelope: the bytes of the event envelope's <c>payload</c> field, a slice of <see cref="Message"/>.</summary>
    public ReadOnlyMemory<byte> ExportEnvelope { get; }
}
