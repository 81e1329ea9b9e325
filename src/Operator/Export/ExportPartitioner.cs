using System.Buffers;

namespace Kollect.Operator.Export;

/// <summary>
/// Splits an export into messages that fit the sink ref's limits (SPEC §4). A part fits when its
/// export envelope (the event envelope's <c>payload</c>, part markers included) is at most
/// <c>maxExportBytes</c> bytes and its whole event envelope fits the sink's real message limit:
/// the event envelope's overhead is charged to the sink's limit only, as the original charges
/// <c>maxExportBytes</c> to the export envelope alone (issue #12). Sizes are computed exactly, so
/// a part may reach a limit to the byte.
/// <list type="bullet">
/// <item>Everything fits: one message without part markers (also for zero rows:
/// <c>itemCount: 0, items: []</c>).</item>
/// <item>Otherwise greedy fill in canonical order; each part has its own checksum and
/// itemCount, all parts the same generation and timestamps.</item>
/// <item>A row that does not fit even alone in a part fails the whole ref with
/// <c>PayloadTooLarge</c>, naming the row, its size and the limit that binds.</item>
/// </list>
/// </summary>
public static class ExportPartitioner
{
    private const string ChecksumPlaceholder = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// Plans the messages for <paramref name="rows"/>, which must be in canonical order.
    /// <paramref name="maxExportBytes"/> limits each export envelope; <paramref name="messageLimitBytes"/>,
    /// when known, limits each whole event envelope (Kafka <c>message.max.bytes</c>, NATS <c>max_payload</c>).
    /// </summary>
    public static ExportPlan Plan(IReadOnlyList<ItemRow> rows, EnvelopeContext context, long maxExportBytes, long? messageLimitBytes = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExportBytes);
        if (messageLimitBytes is { } messageLimit)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(messageLimit, nameof(messageLimitBytes));
        }
        for (var i = 1; i < rows.Count; i++)
        {
            if (rows[i - 1].CompareTo(rows[i]) > 0)
            {
                throw new ArgumentException("rows must be in canonical order (CanonicalRowArray.Sort)", nameof(rows));
            }
        }

        // The event envelope is the export envelope plus a prefix and a closing brace, the same
        // for every part, so both limits become one limit on the export envelope.
        var eventPrefix = MeasureEventEnvelopePrefix(context);
        var eventOverhead = eventPrefix + 1;
        var (limitBytes, limitText) = messageLimitBytes is { } sinkLimit && sinkLimit - eventOverhead < maxExportBytes
            ? (sinkLimit - eventOverhead, $"the sink's message limit of {sinkLimit} bytes (the event envelope adds {eventOverhead} bytes to the export envelope)")
            : (maxExportBytes, $"maxExportBytes of {maxExportBytes} bytes");

        var contentChecksum = CanonicalRowArray.Checksum(rows);
        var singleBase = MeasureEmptyExportEnvelope(context, part: null);
        var singleSize = singleBase + (Digits(rows.Count) - 1) + CanonicalRowArray.Length(rows, 0, rows.Count) - 2;
        if (singleSize <= limitBytes)
        {
            var message = Build(context, contentChecksum, null, rows, 0, rows.Count, eventPrefix, singleSize);
            return ExportPlan.Success(contentChecksum, [new ExportPart(1, 1, contentChecksum, rows.Count, context.Generation, message, eventPrefix)]);
        }
        if (rows.Count == 0)
        {
            return ExportPlan.TooLarge(contentChecksum,
                $"even an empty export envelope needs {singleSize} bytes, more than {limitText}; raise maxExportBytes or the sink's message limit");
        }

        var multiBase = MeasureEmptyExportEnvelope(context, part: new ExportEnvelopeWriter.PartMarker(1, 1));
        // partTotal's digit count is not known before the split: assume one, and redo the fill
        // with more whenever the total needs more. More digits only shrink parts, so this ends.
        var totalDigits = 1;
        while (true)
        {
            var (ranges, failure) = Fill(rows, multiBase, totalDigits, limitBytes, limitText);
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
                        Build(context, checksum, marker, rows, start, count, eventPrefix, exactSize), eventPrefix));
                }
                return ExportPlan.Success(contentChecksum, parts);
            }
            totalDigits = Digits(ranges.Count);
        }
    }

    private static (List<(int Start, int Count, long Size)> Ranges, string? Failure) Fill(
        IReadOnlyList<ItemRow> rows, long multiBase, int totalDigits, long limitBytes, string limitText)
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
                    + $"and needs {needed} bytes with its export envelope, more than {limitText}; "
                    + "raise maxExportBytes (up to the sink's message limit) or extract fewer or smaller attributes in the profile");
            }
            ranges.Add((start, count, size));
        }
        return (ranges, null);
    }

    // Empty export envelope (itemCount 0 → one digit, "items":[]) plus the extra digits of the real
    // numbers, the rows and the commas between them.
    private static long SizeOfPart(long emptyBase, int partIndex, int totalDigits, int count, long rowBytes) =>
        emptyBase + (Digits(partIndex) - 1) + (totalDigits - 1) + (Digits(count) - 1) + rowBytes + (count - 1);

    private static long MeasureEmptyExportEnvelope(EnvelopeContext context, ExportEnvelopeWriter.PartMarker? part)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        ExportEnvelopeWriter.WriteExportEnvelope(buffer, context, ChecksumPlaceholder, part, [], 0, 0);
        return buffer.WrittenCount;
    }

    // The event envelope up to its payload: an empty payload's event envelope less the payload and the closing brace.
    private static int MeasureEventEnvelopePrefix(EnvelopeContext context)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        ExportEnvelopeWriter.WriteEventEnvelope(buffer, context, []);
        return buffer.WrittenCount - 1;
    }

    private static byte[] Build(EnvelopeContext context, string checksum, ExportEnvelopeWriter.PartMarker? part,
        IReadOnlyList<ItemRow> rows, int start, int count, int eventPrefix, long expectedExportEnvelopeSize)
    {
        var expectedSize = expectedExportEnvelopeSize + eventPrefix + 1;
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
