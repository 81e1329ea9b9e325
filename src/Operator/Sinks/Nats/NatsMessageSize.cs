using System.Text;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// The size the server counts against <c>max_payload</c>: the header block NATS.Net writes
/// (<c>NATS/1.0\r\n</c>, one <c>Key: Value\r\n</c> per field, a blank line) plus the payload. Known
/// before publishing, so the exporter can split below the limit (SPEC §4) and an oversized message
/// is refused with a clear error instead of NATS.Net's generic one.
/// </summary>
public static class NatsMessageSize
{
    private const int VersionLine = 10; // "NATS/1.0\r\n"
    private const int BlankLine = 2;

    /// <summary>Bytes of <paramref name="headers"/> as a header block plus <paramref name="payloadLength"/>.</summary>
    public static long Of(IReadOnlyList<KeyValuePair<string, string>> headers, int payloadLength)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Count == 0)
        {
            return payloadLength;
        }

        long size = VersionLine + BlankLine;
        foreach (KeyValuePair<string, string> header in headers)
        {
            size += Encoding.ASCII.GetByteCount(header.Key) + 2 + Encoding.ASCII.GetByteCount(header.Value) + 2;
        }

        return size + payloadLength;
    }
}
