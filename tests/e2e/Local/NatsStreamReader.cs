
namespace Kollect.Tests.E2e.Local;

/// <summary>
/// Reads every message stored in a JetStream stream (<c>$JS.API.STREAM.MSG.GET</c> by sequence)
/// with the tests' own raw NATS client, headers included.
/// </summary>
public static class NatsStreamReader
{
    /// <summary>All stored messages in sequence order; empty when the stream does not exist (yet). <paramref name="token"/> for a server that requires one.</summary>
    public static IReadOnlyList<PublishedMessage> Read(int port, string stream, string? token = null)
    {
        using var client = RawNatsClient.Connect(port, token);
        if (client.StreamState(stream) is not { } state)
        {
            return [];
        }
        var messages = new List<PublishedMessage>();
        for (long sequence = 1; sequence <= state.Messages; sequence++)
        {
            var (subject, headers, data) = client.GetStoredMessage(stream, sequence);
            messages.Add(new PublishedMessage(Broker.Nats, $"{stream}#{sequence} ({subject})", null, ParseHeaders(headers), data));
        }
        return messages;
    }

    /// <summary>Parses a NATS header block: <c>NATS/1.0\r\nName: value\r\n…\r\n\r\n</c>.</summary>
    private static List<KeyValuePair<string, string>> ParseHeaders(string block)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (block.Length == 0)
        {
            return headers;
        }
        var lines = block.Split("\r\n");
        Assert.StartsWith("NATS/1.0", lines[0], StringComparison.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            Assert.True(colon > 0, $"malformed NATS header line '{line}'");
            headers.Add(new(line[..colon], line[(colon + 1)..].Trim()));
        }
        return headers;
    }
}
