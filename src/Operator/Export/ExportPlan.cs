namespace Kollect.Operator.Export;

/// <summary>
/// The result of <see cref="ExportPartitioner.Plan"/>: the parts to send, or the
/// <c>PayloadTooLarge</c> failure of this sink ref (SPEC §4).
/// </summary>
public sealed class ExportPlan
{
    /// <summary>The condition reason SPEC §4 names for a row that cannot fit alone.</summary>
    public const string PayloadTooLargeReason = "PayloadTooLarge";

    private ExportPlan(string contentChecksum, IReadOnlyList<ExportPart> parts, string? failure)
    {
        ContentChecksum = contentChecksum;
        Parts = parts;
        Failure = failure;
    }

    /// <summary>
    /// SHA-256 of the canonical array of all rows, whatever the split. It equals the checksum of
    /// a single-part export, does not change when only the size limit changes, and is what the
    /// debounce compares and <c>status.sinkExports[].lastChecksum</c> stores.
    /// </summary>
    public string ContentChecksum { get; }

    public IReadOnlyList<ExportPart> Parts { get; }

    /// <summary>The message of a <c>PayloadTooLarge</c> failure, null on success.</summary>
    public string? Failure { get; }

    public bool Succeeded => Failure is null;

    internal static ExportPlan Success(string contentChecksum, IReadOnlyList<ExportPart> parts) => new(contentChecksum, parts, null);

    internal static ExportPlan TooLarge(string contentChecksum, string message) => new(contentChecksum, [], message);
}
