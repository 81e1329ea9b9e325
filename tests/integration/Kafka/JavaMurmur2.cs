using System.Text;

namespace Kollect.Tests.Integration.Kafka;

/// <summary>
/// The Java Kafka client's default partitioner for keyed messages, written from its published
/// definition (murmur2, seed 0x9747b28c, positive part modulo the partition count), so the tests
/// check librdkafka's <c>murmur2_random</c> against an independent implementation.
/// </summary>
public static class JavaMurmur2
{
    /// <summary>The partition the Java client picks for <paramref name="key"/>.</summary>
    public static int Partition(string key, int partitionCount) =>
        (int)((uint)(Hash(Encoding.UTF8.GetBytes(key)) & 0x7fffffff) % (uint)partitionCount);

    /// <summary>Kafka's murmur2 of <paramref name="data"/>.</summary>
    public static int Hash(byte[] data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28cu ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var at = i * 4;
            var k = data[at] | ((uint)data[at + 1] << 8) | ((uint)data[at + 2] << 16) | ((uint)data[at + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        var tail = blocks * 4;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
