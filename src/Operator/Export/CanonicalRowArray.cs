using System.Buffers;
using System.Security.Cryptography;

namespace Kollect.Operator.Export;

/// <summary>
/// The canonical JSON array of rows (<c>[row,row]</c>, <c>[]</c> when empty) and its checksum
/// (SPEC §4: lower-case hex SHA-256 of exactly these bytes). Rows are already canonical bytes, so
/// both operations only copy and hash; the hash is fed incrementally without building the array.
/// </summary>
public static class CanonicalRowArray
{
    /// <summary>Sorts rows into canonical order (SPEC §4) in place.</summary>
    public static void Sort(List<ItemRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        rows.Sort(static (a, b) => a.CompareTo(b));
    }

    /// <summary>Checksum of all <paramref name="rows"/>.</summary>
    public static string Checksum(IReadOnlyList<ItemRow> rows) => Checksum(rows, 0, rows.Count);

    /// <summary>Checksum of <paramref name="count"/> rows starting at <paramref name="start"/>.</summary>
    public static string Checksum(IReadOnlyList<ItemRow> rows, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("["u8);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                hash.AppendData(","u8);
            }
            hash.AppendData(rows[start + i].Json);
        }
        hash.AppendData("]"u8);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Writes the array of <paramref name="count"/> rows from <paramref name="start"/>.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<ItemRow> rows, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        var length = 2 + Math.Max(count - 1, 0);
        for (var i = 0; i < count; i++)
        {
            length += rows[start + i].JsonLength;
        }
        var span = output.GetSpan(length);
        var position = 0;
        span[position++] = (byte)'[';
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                span[position++] = (byte)',';
            }
            var row = rows[start + i].Json;
            row.CopyTo(span[position..]);
            position += row.Length;
        }
        span[position++] = (byte)']';
        output.Advance(position);
    }

    /// <summary>Byte length of the array of <paramref name="count"/> rows from <paramref name="start"/>.</summary>
    public static long Length(IReadOnlyList<ItemRow> rows, int start, int count)
    {
        long length = 2 + Math.Max(count - 1, 0);
        for (var i = 0; i < count; i++)
        {
            length += rows[start + i].JsonLength;
        }
        return length;
    }
}
