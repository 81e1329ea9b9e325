using System.Text;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>One message for a Kafka sink: one part of one export (SPEC §5, §6.1).</summary>
/// <param name="Key">Message key, <c>&lt;cluster&gt;/&lt;namespace&gt;</c> (see <see cref="KeyFor"/>); it picks the partition.</param>
/// <param name="Headers">Header names and values in order (<c>kollect-inventory</c>, <c>kollect-checksum</c>, …), sent UTF-8 encoded.</param>
/// <param name="Value">The event envelope bytes.</param>
public sealed record KafkaOutgoingMessage(string Key, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Value)
{
    /// <summary>The message key for a cluster and namespace: one partition per namespace keeps its snapshots in order (SPEC §6.1).</summary>
    public static string KeyFor(string cluster, string @namespace) => $"{cluster}/{@namespace}";

    /// <summary>
    /// The size librdkafka compares with <c>message.max.bytes</c>: value, key, and headers as
    /// serialized in a record (varint lengths). Exports split so that this stays under the sink's limit.
    /// </summary>
    public long MeasureSize()
    {
        long size = Value.Length + Encoding.UTF8.GetByteCount(Key);
        foreach (var (name, value) in Headers)
        {
            var nameBytes = Encoding.UTF8.GetByteCount(name);
            var valueBytes = Encoding.UTF8.GetByteCount(value);
            size += VarintSize(nameBytes) + nameBytes + VarintSize(valueBytes) + valueBytes;
        }

        return size;
    }

    private static int VarintSize(int value)
    {
        // Kafka record lengths are zig-zag varints: 7 payload bits per byte.
        var zigzag = (uint)((value << 1) ^ (value >> 31));
        var bytes = 1;
        while (zigzag >= 0x80)
        {
            zigzag >>= 7;
            bytes++;
        }

        return bytes;
    }
}
