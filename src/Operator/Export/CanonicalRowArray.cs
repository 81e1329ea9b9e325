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
        var staging = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var sink = new HashingSink(hash, null, staging);
            AppendArray(ref sink, rows, start, count);
            return sink.Finish();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(staging);
        }
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

    /// <summary>
    /// Writes the canonical array of all <paramref name="rows"/> and returns its checksum, hashing
    /// each filled chunk of the output once (one pass, no intermediate array). This is the unit
    /// the SPEC §10 budget "canonical JSON + checksum, 10k rows" measures.
    /// </summary>
    public static string WriteWithChecksum(IBufferWriter<byte> output, IReadOnlyList<ItemRow> rows)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sink = new HashingSink(hash, output, null);
        AppendArray(ref sink, rows, 0, rows.Count);
        return sink.Finish();
    }

    private static void AppendArray(ref HashingSink sink, IReadOnlyList<ItemRow> rows, int start, int count)
    {
        sink.Append("["u8);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                sink.Append(","u8);
            }
            sink.Append(rows[start + i].Json);
        }
        sink.Append("]"u8);
    }

    // Rows are small (hundreds of bytes); hashing them one by one costs a native call each, so
    // bytes are gathered into chunks — the output's own buffer, or a pooled staging array when
    // only the checksum is wanted — and each chunk is hashed once.
    private const int ChunkSize = 64 * 1024;

    private ref struct HashingSink
    {
        private readonly IncrementalHash hash;
        private readonly IBufferWriter<byte>? output;
        private Span<byte> chunk;
        private int used;

        public HashingSink(IncrementalHash hash, IBufferWriter<byte>? output, byte[]? staging)
        {
            this.hash = hash;
            this.output = output;
            chunk = output is null ? staging : output.GetSpan(ChunkSize);
            used = 0;
        }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (used + bytes.Length > chunk.Length)
            {
                Flush();
                if (output is null)
                {
                    if (bytes.Length > chunk.Length)
                    {
                        hash.AppendData(bytes);
                        return;
                    }
                }
                else
                {
                    chunk = output.GetSpan(Math.Max(ChunkSize, bytes.Length));
                }
            }
            bytes.CopyTo(chunk[used..]);
            used += bytes.Length;
        }

        public string Finish()
        {
            Flush();
            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            return Convert.ToHexStringLower(digest);
        }

        private void Flush()
        {
            hash.AppendData(chunk[..used]);
            output?.Advance(used);
            if (output is not null)
            {
                chunk = default;
            }
            used = 0;
        }
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
