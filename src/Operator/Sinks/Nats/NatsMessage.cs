namespace Kollect.Operator.Sinks.Nats;

/// <summary>A message delivered by the server (<c>MSG</c> or <c>HMSG</c>).</summary>
/// <param name="Subject">Subject it was published to.</param>
/// <param name="Sid">Subscription id it was delivered for.</param>
/// <param name="ReplyTo">Reply subject, if any.</param>
/// <param name="Headers">Header fields in order; empty for <c>MSG</c>.</param>
/// <param name="StatusCode">Status from the header line (<c>NATS/1.0 503</c>), if any.</param>
/// <param name="StatusDescription">Text after the status code, if any.</param>
/// <param name="Payload">The payload bytes.</param>
public sealed record NatsMessage(
    string Subject,
    string Sid,
    string? ReplyTo,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    int? StatusCode,
    string? StatusDescription,
    ReadOnlyMemory<byte> Payload)
{
    /// <summary>The first value of header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? GetHeader(string name)
    {
        foreach (KeyValuePair<string, string> header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }
}
