using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// Pure parsing and formatting of the NATS client protocol (text control lines, HPUB/HMSG header
/// blocks); no I/O, so every byte count is unit-tested.
/// </summary>
public static class NatsProtocol
{
    /// <summary>Longest control line accepted from a server (the server's own default limit).</summary>
    public const int MaxControlLineLength = 4096;

    private static readonly byte[] s_crlf = "\r\n"u8.ToArray();
    private static readonly byte[] s_headerVersion = "NATS/1.0"u8.ToArray();

    /// <summary>
    /// Parses one server operation from the start of <paramref name="buffer"/>. Returns false when
    /// more bytes are needed; throws <see cref="NatsException"/> for malformed input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> buffer, out NatsServerOp? op, out int consumed)
    {
        op = null;
        consumed = 0;
        int lineEnd = buffer.IndexOf(s_crlf);
        if (lineEnd < 0)
        {
            if (buffer.Length > MaxControlLineLength)
            {
                throw Protocol($"control line longer than {MaxControlLineLength} bytes");
            }

            return false;
        }

        ReadOnlySpan<byte> line = buffer[..lineEnd];
        int afterLine = lineEnd + 2;
        int space = line.IndexOfAny((byte)' ', (byte)'\t');
        string verb = Encoding.ASCII.GetString(space < 0 ? line : line[..space]).ToUpperInvariant();
        string rest = space < 0 ? string.Empty : Encoding.UTF8.GetString(line[(space + 1)..]).Trim();

        switch (verb)
        {
            case "PING":
                op = NatsServerOp.Ping;
                consumed = afterLine;
                return true;
            case "PONG":
                op = NatsServerOp.Pong;
                consumed = afterLine;
                return true;
            case "+OK":
                op = NatsServerOp.Ok;
                consumed = afterLine;
                return true;
            case "-ERR":
                op = new NatsServerOp(NatsServerOpKind.Error, rest.Trim('\''));
                consumed = afterLine;
                return true;
            case "INFO":
                op = new NatsServerOp(NatsServerOpKind.Info, rest);
                consumed = afterLine;
                return true;
            case "MSG":
            case "HMSG":
                return TryParseMessage(buffer, afterLine, rest, verb == "HMSG", out op, out consumed);
            default:
                throw Protocol($"unknown operation '{Truncate(verb)}'");
        }
    }

    /// <summary>
    /// Formats <c>PUB</c> (no headers) or <c>HPUB</c> with its header block and exact byte counts.
    /// </summary>
    public static byte[] FormatPublish(string subject, string? replyTo, IReadOnlyList<KeyValuePair<string, string>>? headers, ReadOnlySpan<byte> payload)
    {
        ValidateSubject(subject, allowWildcards: false);
        if (replyTo is not null)
        {
            ValidateSubject(replyTo, allowWildcards: false);
        }

        byte[]? headerBlock = headers is { Count: > 0 } ? FormatHeaderBlock(headers) : null;
        string control = headerBlock is null
            ? replyTo is null
                ? $"PUB {subject} {payload.Length}\r\n"
                : $"PUB {subject} {replyTo} {payload.Length}\r\n"
            : replyTo is null
                ? $"HPUB {subject} {headerBlock.Length} {headerBlock.Length + payload.Length}\r\n"
                : $"HPUB {subject} {replyTo} {headerBlock.Length} {headerBlock.Length + payload.Length}\r\n";

        int controlLength = Encoding.UTF8.GetByteCount(control);
        byte[] frame = new byte[controlLength + (headerBlock?.Length ?? 0) + payload.Length + 2];
        int offset = Encoding.UTF8.GetBytes(control, frame);
        if (headerBlock is not null)
        {
            headerBlock.CopyTo(frame, offset);
            offset += headerBlock.Length;
        }

        payload.CopyTo(frame.AsSpan(offset));
        offset += payload.Length;
        s_crlf.CopyTo(frame, offset);
        return frame;
    }

    /// <summary>Size of the message as the server counts it against <c>max_payload</c> (headers + payload).</summary>
    public static long MessageSize(IReadOnlyList<KeyValuePair<string, string>>? headers, int payloadLength) =>
        (headers is { Count: > 0 } ? FormatHeaderBlock(headers).Length : 0) + (long)payloadLength;

    /// <summary>Formats a header block: <c>NATS/1.0\r\n</c>, one <c>Key: Value\r\n</c> per field, and a blank line.</summary>
    public static byte[] FormatHeaderBlock(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        StringBuilder builder = new("NATS/1.0\r\n");
        foreach (KeyValuePair<string, string> header in headers)
        {
            ValidateHeader(header.Key, header.Value);
            builder.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        }

        builder.Append("\r\n");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    /// <summary>Parses a header block into its status line and fields.</summary>
    public static (int? StatusCode, string? StatusDescription, IReadOnlyList<KeyValuePair<string, string>> Headers) ParseHeaderBlock(ReadOnlySpan<byte> block)
    {
        if (!block.StartsWith(s_headerVersion))
        {
            throw Protocol("header block does not start with NATS/1.0");
        }

        string text = Encoding.UTF8.GetString(block);
        string[] lines = text.Split("\r\n");
        string statusLine = lines[0]["NATS/1.0".Length..].Trim();
        int? statusCode = null;
        string? description = null;
        if (statusLine.Length > 0)
        {
            int split = statusLine.IndexOf(' ', StringComparison.Ordinal);
            string codeText = split < 0 ? statusLine : statusLine[..split];
            if (!int.TryParse(codeText, NumberStyles.None, CultureInfo.InvariantCulture, out int code))
            {
                throw Protocol($"header status '{Truncate(statusLine)}' is not a number");
            }

            statusCode = code;
            description = split < 0 ? null : statusLine[(split + 1)..].Trim();
        }

        List<KeyValuePair<string, string>> headers = [];
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw Protocol($"header line '{Truncate(line)}' has no name");
            }

            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return (statusCode, description, headers);
    }

    /// <summary>Formats <c>CONNECT {json}\r\nPING\r\n</c>; the PONG proves the server accepted it.</summary>
    public static byte[] FormatConnect(NatsSinkOptions options, bool tlsRequired, string version)
    {
        ArrayBufferWriter<byte> buffer = new();
        buffer.Write("CONNECT "u8);
        using (Utf8JsonWriter json = new(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("verbose", false);
            json.WriteBoolean("pedantic", false);
            json.WriteBoolean("tls_required", tlsRequired);
            json.WriteString("name", options.ClientName);
            json.WriteString("lang", "dotnet-kollect");
            json.WriteString("version", version);
            json.WriteNumber("protocol", 1);
            json.WriteBoolean("headers", true);
            json.WriteBoolean("no_responders", true);
            if (options.Auth.Token is not null)
            {
                json.WriteString("auth_token", options.Auth.Token);
            }
            else if (options.Auth.Username is not null)
            {
                json.WriteString("user", options.Auth.Username);
                json.WriteString("pass", options.Auth.Password ?? string.Empty);
            }

            json.WriteEndObject();
        }

        buffer.Write("\r\nPING\r\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Formats <c>SUB subject sid</c>.</summary>
    public static byte[] FormatSubscribe(string subject, string sid)
    {
        ValidateSubject(subject, allowWildcards: true);
        return Encoding.UTF8.GetBytes($"SUB {subject} {sid}\r\n");
    }

    /// <summary>
    /// Checks a subject: non-empty dot-separated tokens without whitespace; <c>*</c>/<c>&gt;</c> only
    /// as whole tokens and only when <paramref name="allowWildcards"/>.
    /// </summary>
    public static void ValidateSubject(string subject, bool allowWildcards)
    {
        string? problem = DescribeSubjectProblem(subject, allowWildcards);
        if (problem is not null)
        {
            throw new NatsException(NatsFailureKind.InvalidConfiguration, problem);
        }
    }

    /// <summary>Why <paramref name="subject"/> is not a valid subject, or null when it is.</summary>
    public static string? DescribeSubjectProblem(string subject, bool allowWildcards)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return "the NATS subject is empty";
        }

        string[] tokens = subject.Split('.');
        for (int i = 0; i < tokens.Length; i++)
        {
            string token = tokens[i];
            if (token.Length == 0)
            {
                return $"NATS subject '{subject}' has an empty token (leading, trailing or double '.')";
            }

            if (token.AsSpan().IndexOfAny(" \t\r\n") >= 0)
            {
                return $"NATS subject '{subject}' contains whitespace";
            }

            bool wildcard = token is "*" or ">";
            if (wildcard && !allowWildcards)
            {
                return $"NATS subject '{subject}' contains the wildcard '{token}'; a publish subject must be literal";
            }

            if (token == ">" && i != tokens.Length - 1)
            {
                return $"NATS subject '{subject}' has '>' before its last token";
            }

            if (!wildcard && token.AsSpan().IndexOfAny('*', '>') >= 0 && !allowWildcards)
            {
                return $"NATS subject '{subject}' contains a wildcard character; a publish subject must be literal";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="subject"/> (literal) matches <paramref name="pattern"/> (may hold wildcards).</summary>
    public static bool SubjectMatches(string pattern, string subject)
    {
        string[] patternTokens = pattern.Split('.');
        string[] subjectTokens = subject.Split('.');
        for (int i = 0; i < patternTokens.Length; i++)
        {
            if (patternTokens[i] == ">")
            {
                return subjectTokens.Length > i;
            }

            if (i >= subjectTokens.Length || (patternTokens[i] != "*" && patternTokens[i] != subjectTokens[i]))
            {
                return false;
            }
        }

        return patternTokens.Length == subjectTokens.Length;
    }

    private static bool TryParseMessage(ReadOnlySpan<byte> buffer, int afterLine, string arguments, bool withHeaders, out NatsServerOp? op, out int consumed)
    {
        op = null;
        consumed = 0;
        string[] parts = arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        int expected = withHeaders ? 4 : 3;
        if (parts.Length != expected && parts.Length != expected + 1)
        {
            throw Protocol($"{(withHeaders ? "HMSG" : "MSG")} with {parts.Length} arguments");
        }

        bool hasReply = parts.Length == expected + 1;
        int headerLength = withHeaders ? ParseCount(parts[hasReply ? 3 : 2]) : 0;
        int totalLength = ParseCount(parts[^1]);
        if (headerLength > totalLength)
        {
            throw Protocol($"HMSG header size {headerLength} exceeds total size {totalLength}");
        }

        int end = afterLine + totalLength;
        if (buffer.Length < end + 2)
        {
            return false;
        }

        if (!buffer.Slice(end, 2).SequenceEqual(s_crlf))
        {
            throw Protocol("message payload is not followed by CRLF (byte count mismatch)");
        }

        int? statusCode = null;
        string? statusDescription = null;
        IReadOnlyList<KeyValuePair<string, string>> headers = [];
        if (withHeaders)
        {
            (statusCode, statusDescription, headers) = ParseHeaderBlock(buffer.Slice(afterLine, headerLength));
        }

        byte[] payload = buffer.Slice(afterLine + headerLength, totalLength - headerLength).ToArray();
        op = new NatsServerOp(
            NatsServerOpKind.Message,
            Message: new NatsMessage(parts[0], parts[1], hasReply ? parts[2] : null, headers, statusCode, statusDescription, payload));
        consumed = end + 2;
        return true;
    }

    private static int ParseCount(string text)
    {
        if (!Utf8Parser.TryParse(Encoding.ASCII.GetBytes(text), out int value, out int used) || used != text.Length || value < 0)
        {
            throw Protocol($"byte count '{Truncate(text)}' is not a number");
        }

        return value;
    }

    private static void ValidateHeader(string name, string value)
    {
        if (string.IsNullOrEmpty(name) || name.AsSpan().IndexOfAny(": \t\r\n") >= 0)
        {
            throw new NatsException(NatsFailureKind.InvalidConfiguration, $"header name '{Truncate(name)}' is empty or contains ':', whitespace or a line break");
        }

        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new NatsException(NatsFailureKind.InvalidConfiguration, $"the value of header '{name}' contains a line break");
        }
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private static NatsException Protocol(string what) =>
        new(NatsFailureKind.ProtocolError, $"unexpected data from the NATS server: {what}");
}
