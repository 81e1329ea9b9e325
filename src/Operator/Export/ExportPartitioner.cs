using System.Buffers;

namespace Kollect.Operator.Export;

/// <summary>
/// Splits an export into messages that fit the sink ref's limit (SPEC §4). Sizes are those of
/// the bytes actually sent — the whole event envelope, including the part markers of a
/// multipart export — and are computed exactly, so a part may reach the limit to the byte.
/// <list type="bullet">
/// <item>Everything fits: one message without part markers (also for zero rows:
/// <c>itemCount: 0, items: []</c>).</item>
/// <item>Otherwise greedy fill in canonical order; each part has its own checksum and
/// itemCount, all parts the same generation and timestamps.</item>
/// <item>A row that does not fit even alone in a part fails the whole ref with
/// <c>PayloadTooLarge</c>, naming the row, its size and the limit.</item>
/// </list>
/// </summary>
public static class ExportPartitioner
{
    private const string ChecksumPlaceholder = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Plans the messages for <paramref name="rows"/>, which must be in canonical order.</summary>
    public static ExportPlan Plan(IReadOnlyList<ItemRow> rows, EnvelopeContext context, long limitBytes)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limitBytes);
        for (var i = 1; i < rows.Count; i++)
        {
            if (rows[i - 1].CompareTo(rows[i]) > 0)
            {
                throw new ArgumentException("rows must be in canonical order (CanonicalRowArray.Sort)", nameof(rows));
            }
        }

        var contentChecksum = CanonicalRowArray.Checksum(rows);
        var singleBase = MeasureEmptyEnvelope(context, part: null);
        var singleSize = singleBase + (Digits(rows.Count) - 1) + CanonicalRowArray.Length(rows, 0, rows.Count) - 2;
        if (singleSize <= limitBytes)
        {
            var message = Build(context, contentChecksum, null, rows, 0, rows.Count, singleSize);
            return ExportPlan.Success(contentChecksum, [new ExportPart(1, 1, contentChecksum, rows.Count, context.Generation, message)]);
        }
        if (rows.Count == 0)
        {
            return ExportPlan.TooLarge(contentChecksum,
                $"even an empty export envelope needs {singleSize} bytes, more than the limit of {limitBytes} bytes; raise maxExportBytes or the sink's message limit");
        }

        var multiBase = MeasureEmptyEnvelope(context, part: new ExportEnvelopeWriter.PartMarker(1, 1));
        // partTotal's digit count is not known before the split: assume one, and redo the fill
        // with more whenever the total needs more. More digits only shrink parts, so this ends.
        var totalDigits = 1;
        while (true)
        {
            var (ranges, failure) = Fill(rows, multiBase, totalDigits, limitBytes);
            if (failure is not null)
            {
                return ExportPlan.TooLarge(contentChecksum, failure);
            }
            if (Digits(ranges.Count) <= totalDigits)
            {
                var parts = new List<ExportPart>(ranges.Count);
                for (var i = 0; i < ranges.Count; i++)
                {
                    var (start, count, size) = ranges[i];
                    var marker = new ExportEnvelopeWriter.PartMarker(i + 1, ranges.Count);
                    var checksum = CanonicalRowArray.Checksum(rows, start, count);
                    // The fill assumed totalDigits digits for partTotal; the real total may be shorter.
                    var exactSize = size - totalDigits + Digits(ranges.Count);
                    parts.Add(new ExportPart(i + 1, ranges.Count, checksum, count, context.Generation,
                        Build(context, checksum, marker, rows, start, count, exactSize)));
                }
                return ExportPlan.Success(contentChecksum, parts);
            }
            totalDigits = Digits(ranges.Count);
        }
    }

    private static (List<(int Start, int Count, long Size)> Ranges, string? Failure) Fill(
        IReadOnlyList<ItemRow> rows, long multiBase, int totalDigits, long limitBytes)
    {
        var ranges = new List<(int, int, long)>();
        var next = 0;
        while (next < rows.Count)
        {
            var partIndex = ranges.Count + 1;
            var start = next;
            var count = 0;
            long rowBytes = 0;
            long size = 0;
            while (next < rows.Count)
            {
                var candidate = SizeOfPart(multiBase, partIndex, totalDigits, count + 1, rowBytes + rows[next].JsonLength);
                if (candidate > limitBytes)
                {
                    break;
                }
                count++;
                rowBytes += rows[next].JsonLength;
                size = candidate;
                next++;
            }
            if (count == 0)
            {
                var row = rows[next];
                var identity = row.Identity;
                var needed = SizeOfPart(multiBase, partIndex, totalDigits, 1, row.JsonLength);
                return (ranges, $"row {identity.DisplayName} (kind {identity.Kind}, uid {identity.Uid}) is {row.JsonLength} bytes "
                    + $"and needs {needed} bytes with its envelope, more than the limit of {limitBytes} bytes for one message; "
                    + "raise maxExportBytes (up to the sink's message limit) or extract fewer or smaller attributes in the profile");
            }
            ranges.Add((start, count, size));
        }
        return (ranges, null);
    }

    // Empty envelope (itemCount 0 → one digit, "items":[]) plus the extra digits of the real
    // numbers, the rows and the commas between them.
    private static long SizeOfPart(long emptyBase, int partIndex, int totalDigits, int count, long rowBytes) =>
        emptyBase + (Digits(partIndex) - 1) + (totalDigits - 1) + (Digits(count) - 1) + rowBytes + (count - 1);

    private static long MeasureEmptyEnvelope(EnvelopeContext context, ExportEnvelopeWriter.PartMarker? part)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        ExportEnvelopeWriter.WriteEventEnvelope(buffer, context, ChecksumPlaceholder, part, [], 0, 0);
        return buffer.WrittenCount;
    }

    private static byte[] Build(EnvelopeContext context, string checksum, ExportEnvelopeWriter.PartMarker? part,
        IReadOnlyList<ItemRow> rows, int start, int count, long expectedSize)
    {
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(expectedSize, int.MaxValue));
        ExportEnvelopeWriter.WriteEventEnvelope(buffer, context, checksum, part, rows, start, count);
        if (buffer.WrittenCount != expectedSize)
        {
            throw new InvalidOperationException($"export part size {buffer.WrittenCount} differs from the planned {expectedSize} bytes");
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static int Digits(long value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }
        return digits;
    }
}
