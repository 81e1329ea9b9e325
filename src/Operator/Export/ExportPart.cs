namespace Kollect.Operator.Export;

/// <summary>
/// One message of an export (SPEC §4, §5): the event envelope bytes exactly as they are sent,
/// and the facts that go into headers. <see cref="Index"/> and <see cref="Total"/> are 1-based;
/// a single-part export is 1/1 and carries no part markers in its envelope.
/// </summary>
public sealed class ExportPart
{
    public ExportPart(int index, int total, string checksum, int itemCount, long generation, byte[] message)
    {
        Index = index;
        Total = total;
        Checksum = checksum;
        ItemCount = itemCount;
        Generation = generation;
        Message = message;
    }

    public int Index { get; }
    public int Total { get; }

    /// <summary>The part's own checksum: SHA-256 of the canonical array of this part's rows.</summary>
    public string Checksum { get; }

    public int ItemCount { get; }
    public long Generation { get; }

    /// <summary>The event envelope (with the export envelope as payload): the message body.</summary>
    public byte[] Message { get; }
}
