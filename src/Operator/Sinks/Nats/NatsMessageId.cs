using System.Security.Cryptography;
using System.Text;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>The <c>Nats-Msg-Id</c> of one export attempt (SPEC §6.2).</summary>
public static class NatsMessageId
{
    /// <summary>
    /// Lower-hex SHA-256 of <c>&lt;cluster&gt;/&lt;namespace&gt;/&lt;event envelope payload bytes&gt;</c>:
    /// a retried attempt gets the same id and is deduplicated by the stream.
    /// </summary>
    public static string Compute(string cluster, string @namespace, ReadOnlySpan<byte> payload)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{cluster}/{@namespace}/"));
        hash.AppendData(payload);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
