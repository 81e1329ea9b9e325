using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Kollect.Testing.Nats;

/// <summary>
/// An independent, deliberately naive NATS client written for the tests (blocking socket, text
/// protocol by hand) so that what the operator's client wrote is checked by other code.
/// </summary>
public sealed class RawNatsClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly List<byte> _pending = [];
    private int _inboxCounter;

    private RawNatsClient(int port, string? token)
    {
        _tcp = new TcpClient("127.0.0.1", port);
        _stream = _tcp.GetStream();
        _stream.ReadTimeout = 10_000;
        string info = ReadLine();
        Assert.StartsWith("INFO ", info, StringComparison.Ordinal);
        var auth = token is null ? "" : $",\"auth_token\":\"{token}\"";
        Send("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"no_responders\":true,\"protocol\":1" + auth + "}\r\nPING\r\n");
        string reply = ReadLine();
        Assert.Equal("PONG", reply);
    }

    /// <summary>A received message as the raw client parsed it.</summary>
    public sealed record Received(string Subject, string? Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Payload)
    {
        public string? Header(string name) => Headers.FirstOrDefault(h => h.Key == name).Value;
    }

    /// <summary>Connects to a local nats-server; <paramref name="token"/> for one that requires token authentication.</summary>
    public static RawNatsClient Connect(int port, string? token = null) => new(port, token);

    public void Subscribe(string subject, int sid)
    {
        Send($"SUB {subject} {sid}\r\nPING\r\n");
        Assert.Equal("PONG", ReadLine());
    }

    /// <summary>Reads the next MSG/HMSG, answering server PINGs.</summary>
    public Received ReadMessage()
    {
        while (true)
        {
            string line = ReadLine();
            if (line == "PING")
            {
                Send("PONG\r\n");
                continue;
            }

            if (line is "PONG" or "+OK" || line.StartsWith("INFO ", StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[0] == "MSG")
            {
                int size = int.Parse(parts[^1], CultureInfo.InvariantCulture);
                byte[] payload = ReadExactly(size);
                Assert.Equal("", ReadLine());
                return new Received(parts[1], null, [], payload);
            }

            Assert.Equal("HMSG", parts[0]);
            int headerSize = int.Parse(parts[^2], CultureInfo.InvariantCulture);
            int total = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            string headerText = Encoding.UTF8.GetString(ReadExactly(headerSize));
            byte[] body = ReadExactly(total - headerSize);
            Assert.Equal("", ReadLine());
            Assert.EndsWith("\r\n\r\n", headerText, StringComparison.Ordinal);
            string[] lines = headerText[..^4].Split("\r\n");
            Assert.StartsWith("NATS/1.0", lines[0], StringComparison.Ordinal);
            string status = lines[0]["NATS/1.0".Length..].Trim();
            List<KeyValuePair<string, string>> headers = lines.Skip(1)
                .Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
                .ToList();
            return new Received(parts[1], status.Length == 0 ? null : status, headers, body);
        }
    }

    /// <summary>Sends a JSON request (JetStream API) and parses the JSON reply.</summary>
    public JsonDocument Request(string subject, string json)
    {
        int id = ++_inboxCounter;
        string inbox = $"_INBOX.rawtest.{id}";
        Send($"SUB {inbox} {1000 + id}\r\n");
        byte[] body = Encoding.UTF8.GetBytes(json);
        Send($"PUB {subject} {inbox} {body.Length}\r\n");
        Send(body);
        Send("\r\n");
        while (true)
        {
            Received reply = ReadMessage();
            if (reply.Subject == inbox)
            {
                Send($"UNSUB {1000 + id}\r\n");
                Assert.Null(reply.Status);
                return JsonDocument.Parse(reply.Payload);
            }
        }
    }

    /// <summary>Creates a stream the way an administrator would.</summary>
    public void CreateStream(string name, params string[] subjects)
    {
        string list = string.Join(",", subjects.Select(s => $"\"{s}\""));
        using JsonDocument reply = Request($"$JS.API.STREAM.CREATE.{name}", $"{{\"name\":\"{name}\",\"subjects\":[{list}]}}");
        Assert.False(reply.RootElement.TryGetProperty("error", out _), reply.RootElement.GetRawText());
    }

    /// <summary>Stream state via <c>$JS.API.STREAM.INFO</c>: (messages, subjects), or null if missing.</summary>
    public (long Messages, string[] Subjects)? StreamState(string name)
    {
        using JsonDocument reply = Request($"$JS.API.STREAM.INFO.{name}", "");
        JsonElement root = reply.RootElement;
        if (root.TryGetProperty("error", out JsonElement error))
        {
            Assert.Equal(10059, error.GetProperty("err_code").GetInt32());
            return null;
        }

        return (root.GetProperty("state").GetProperty("messages").GetInt64(),
            root.GetProperty("config").GetProperty("subjects").EnumerateArray().Select(s => s.GetString()!).ToArray());
    }

    /// <summary>A stored message via <c>$JS.API.STREAM.MSG.GET</c>: subject, raw header block, data.</summary>
    public (string Subject, string Headers, byte[] Data) GetStoredMessage(string stream, long sequence)
    {
        using JsonDocument reply = Request($"$JS.API.STREAM.MSG.GET.{stream}", $"{{\"seq\":{sequence}}}");
        JsonElement message = reply.RootElement.GetProperty("message");
        string headers = message.TryGetProperty("hdrs", out JsonElement h) ? Encoding.UTF8.GetString(h.GetBytesFromBase64()) : "";
        byte[] data = message.TryGetProperty("data", out JsonElement d) ? d.GetBytesFromBase64() : [];
        return (message.GetProperty("subject").GetString()!, headers, data);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _tcp.Dispose();
    }

    private void Send(string text) => Send(Encoding.UTF8.GetBytes(text));

    private void Send(byte[] bytes) => _stream.Write(bytes);

    private string ReadLine()
    {
        while (true)
        {
            for (int i = 0; i + 1 < _pending.Count; i++)
            {
                if (_pending[i] == '\r' && _pending[i + 1] == '\n')
                {
                    string line = Encoding.UTF8.GetString(_pending.GetRange(0, i).ToArray());
                    _pending.RemoveRange(0, i + 2);
                    return line;
                }
            }

            Fill();
        }
    }

    private byte[] ReadExactly(int count)
    {
        while (_pending.Count < count)
        {
            Fill();
        }

        byte[] result = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return result;
    }

    private void Fill()
    {
        byte[] chunk = new byte[8192];
        int read = _stream.Read(chunk);
        if (read == 0)
        {
            throw new IOException("nats-server closed the raw test connection");
        }

        _pending.AddRange(chunk.AsSpan(0, read).ToArray());
    }
}
