using System.Text;
using Kollect.Operator.Export;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Unit.Sinks;

public sealed class NatsProtocolTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Hpub_counts_header_and_total_bytes_including_multibyte_characters()
    {
        KeyValuePair<string, string>[] headers = [new("Nats-Msg-Id", "abc"), new("kollect-inventory", "ns/ü")];
        byte[] payload = Bytes("{\"a\":\"é\"}");

        string frame = Encoding.UTF8.GetString(NatsProtocol.FormatPublish("kollect.events", "_INBOX.x.1", headers, payload));

        const string block = "NATS/1.0\r\nNats-Msg-Id: abc\r\nkollect-inventory: ns/ü\r\n\r\n";
        int headerBytes = Encoding.UTF8.GetByteCount(block);
        Assert.Equal(56, headerBytes);
        Assert.Equal($"HPUB kollect.events _INBOX.x.1 {headerBytes} {headerBytes + payload.Length}\r\n{block}{{\"a\":\"é\"}}\r\n", frame);
    }

    [Fact]
    public void Pub_without_headers_is_plain_pub()
    {
        string frame = Encoding.UTF8.GetString(NatsProtocol.FormatPublish("a.b", null, [], Bytes("hi")));

        Assert.Equal("PUB a.b 2\r\nhi\r\n", frame);
    }

    [Theory]
    [InlineData("bad name", "x")]
    [InlineData("bad:name", "x")]
    [InlineData("", "x")]
    [InlineData("ok", "line\r\nbreak")]
    public void Header_fields_that_would_break_the_block_are_refused(string name, string value)
    {
        NatsException e = Assert.Throws<NatsException>(() => NatsProtocol.FormatHeaderBlock([new(name, value)]));

        Assert.Equal(NatsFailureKind.InvalidConfiguration, e.Kind);
    }

    [Fact]
    public void Parses_hmsg_with_reply_headers_and_payload()
    {
        string block = "NATS/1.0\r\nNats-Msg-Id: 42\r\nX: a: b\r\n\r\n";
        int headerBytes = Encoding.UTF8.GetByteCount(block);
        byte[] input = Bytes($"HMSG sub.j 9 reply.to {headerBytes} {headerBytes + 5}\r\n{block}hello\r\nPING\r\n");

        Assert.True(NatsProtocol.TryParse(input, out NatsServerOp? op, out int consumed));

        NatsMessage message = op!.Message!;
        Assert.Equal(NatsServerOpKind.Message, op.Kind);
        Assert.Equal("sub.j", message.Subject);
        Assert.Equal("9", message.Sid);
        Assert.Equal("reply.to", message.ReplyTo);
        Assert.Null(message.StatusCode);
        Assert.Equal("42", message.GetHeader("nats-msg-id"));
        Assert.Equal("a: b", message.GetHeader("X"));
        Assert.Equal(Bytes("hello"), message.Payload.ToArray());
        Assert.Equal(input.Length - "PING\r\n".Length, consumed);
    }

    [Theory]
    [InlineData("NATS/1.0 503\r\n\r\n", 503, null)]
    [InlineData("NATS/1.0 408 Request Timeout\r\n\r\n", 408, "Request Timeout")]
    [InlineData("NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 1\r\n\r\n", 100, "Idle Heartbeat")]
    public void Parses_status_headers(string block, int code, string? description)
    {
        int headerBytes = Encoding.UTF8.GetByteCount(block);
        byte[] input = Bytes($"HMSG _INBOX.a.1 1 {headerBytes} {headerBytes}\r\n{block}\r\n");

        Assert.True(NatsProtocol.TryParse(input, out NatsServerOp? op, out _));

        Assert.Equal(code, op!.Message!.StatusCode);
        Assert.Equal(description, op.Message.StatusDescription);
        Assert.True(op.Message.Payload.IsEmpty);
    }

    [Fact]
    public void Parses_msg_without_reply_and_binary_payload_containing_crlf()
    {
        byte[] input = [.. Bytes("MSG s 1 4\r\n"), 0x0d, 0x0a, 0x00, 0xff, .. Bytes("\r\n")];

        Assert.True(NatsProtocol.TryParse(input, out NatsServerOp? op, out int consumed));

        Assert.Null(op!.Message!.ReplyTo);
        Assert.Equal(new byte[] { 0x0d, 0x0a, 0x00, 0xff }, op.Message.Payload.ToArray());
        Assert.Equal(input.Length, consumed);
    }

    [Fact]
    public void Needs_more_bytes_for_every_incomplete_prefix()
    {
        byte[] input = Bytes("MSG s 1 5\r\nhello\r\n");
        for (int length = 0; length < input.Length; length++)
        {
            Assert.False(NatsProtocol.TryParse(input.AsSpan(0, length), out _, out int consumed));
            Assert.Equal(0, consumed);
        }

        Assert.True(NatsProtocol.TryParse(input, out _, out _));
    }

    [Theory]
    [InlineData("PING\r\n", NatsServerOpKind.Ping, null)]
    [InlineData("pong\r\n", NatsServerOpKind.Pong, null)]
    [InlineData("+OK\r\n", NatsServerOpKind.Ok, null)]
    [InlineData("-ERR 'Authorization Violation'\r\n", NatsServerOpKind.Error, "Authorization Violation")]
    [InlineData("INFO {\"max_payload\":10}\r\n", NatsServerOpKind.Info, "{\"max_payload\":10}")]
    public void Parses_control_operations(string input, NatsServerOpKind kind, string? text)
    {
        Assert.True(NatsProtocol.TryParse(Bytes(input), out NatsServerOp? op, out int consumed));

        Assert.Equal(kind, op!.Kind);
        Assert.Equal(text, op.Text);
        Assert.Equal(input.Length, consumed);
    }

    [Theory]
    [InlineData("MSG s 1 3\r\nhello\r\n")]
    [InlineData("HMSG s 1 10 5\r\n0123456789\r\n")]
    [InlineData("MSG s 1 x\r\nhello\r\n")]
    [InlineData("BOGUS\r\n")]
    [InlineData("HMSG s 1 12 12\r\nXATS/1.0\r\n\r\n\r\n")]
    public void Malformed_input_is_a_protocol_error(string input)
    {
        NatsException e = Assert.Throws<NatsException>(() => NatsProtocol.TryParse(Bytes(input), out _, out _));

        Assert.Equal(NatsFailureKind.ProtocolError, e.Kind);
    }

    [Fact]
    public void An_endless_control_line_is_a_protocol_error()
    {
        byte[] input = Bytes("INFO " + new string('x', NatsProtocol.MaxControlLineLength));

        Assert.Throws<NatsException>(() => NatsProtocol.TryParse(input, out _, out _));
    }

    [Fact]
    public void Connect_carries_the_options_and_credentials_as_json()
    {
        NatsSinkOptions options = new()
        {
            Url = "nats://x:4222",
            Subject = "s",
            Auth = new NatsAuthOptions { Username = "u\"1", Password = "p" },
        };

        string connect = Encoding.UTF8.GetString(NatsProtocol.FormatConnect(options, tlsRequired: true, "1.2.3"));

        Assert.StartsWith("CONNECT {", connect, StringComparison.Ordinal);
        Assert.EndsWith("}\r\nPING\r\n", connect, StringComparison.Ordinal);
        using System.Text.Json.JsonDocument json = System.Text.Json.JsonDocument.Parse(connect["CONNECT ".Length..^"\r\nPING\r\n".Length]);
        System.Text.Json.JsonElement root = json.RootElement;
        Assert.False(root.GetProperty("verbose").GetBoolean());
        Assert.False(root.GetProperty("pedantic").GetBoolean());
        Assert.True(root.GetProperty("headers").GetBoolean());
        Assert.True(root.GetProperty("no_responders").GetBoolean());
        Assert.True(root.GetProperty("tls_required").GetBoolean());
        Assert.Equal("u\"1", root.GetProperty("user").GetString());
        Assert.Equal("p", root.GetProperty("pass").GetString());
        Assert.Equal("1.2.3", root.GetProperty("version").GetString());
        Assert.False(root.TryGetProperty("auth_token", out _));
    }

    [Theory]
    [InlineData("kollect.events", false, true)]
    [InlineData("kollect.*", false, false)]
    [InlineData("kollect.>", false, false)]
    [InlineData("kollect.>", true, true)]
    [InlineData("kollect.>.x", true, false)]
    [InlineData("kollect..events", true, false)]
    [InlineData(".kollect", true, false)]
    [InlineData("kollect events", true, false)]
    [InlineData("", true, false)]
    public void Validates_subjects(string subject, bool allowWildcards, bool valid)
    {
        Assert.Equal(valid, NatsProtocol.DescribeSubjectProblem(subject, allowWildcards) is null);
    }

    [Theory]
    [InlineData("a.b", "a.b", true)]
    [InlineData("a.*", "a.b", true)]
    [InlineData("a.*", "a.b.c", false)]
    [InlineData("a.>", "a.b.c", true)]
    [InlineData("a.>", "a", false)]
    [InlineData(">", "a", true)]
    [InlineData("a.b", "a.c", false)]
    [InlineData("*.b", "a.b", true)]
    public void Matches_subjects_against_stream_patterns(string pattern, string subject, bool matches)
    {
        Assert.Equal(matches, NatsProtocol.SubjectMatches(pattern, subject));
    }

    [Fact]
    public void Server_info_reads_limits_and_flags()
    {
        NatsServerInfo info = NatsServerInfo.Parse("{\"server_id\":\"S1\",\"version\":\"2.9.10\",\"max_payload\":2048,\"headers\":true,\"tls_required\":true,\"jetstream\":true,\"connect_urls\":[\"10.0.0.1:4222\"]}");

        Assert.Equal(new NatsServerInfo("S1", "2.9.10", 2048, true, true, false, true, info.ConnectUrls), info);
        Assert.Equal(["10.0.0.1:4222"], info.ConnectUrls);
        Assert.Equal(NatsServerInfo.DefaultMaxPayload, NatsServerInfo.Parse("{}").MaxPayload);
    }

    [Fact]
    public void Message_id_is_the_lower_hex_sha256_of_cluster_namespace_and_payload()
    {
        // printf 'c1/team-a/{}' | sha256sum
        Assert.Equal("60dbbf300ef7efb13b5838658c80d1012b907841e3d62039fd9b0932004bcdd7", ExportMessageMetadata.NatsMessageId("c1", "team-a", Bytes("{}")));
        Assert.NotEqual(ExportMessageMetadata.NatsMessageId("c1", "team-a", Bytes("{}")), ExportMessageMetadata.NatsMessageId("c2", "team-a", Bytes("{}")));
    }

    [Theory]
    [InlineData(null, "kollect_events")]
    [InlineData("", "kollect_events")]
    [InlineData("team.events.v1", "team_events_v1")]
    [InlineData("plain", "plain")]
    public void Stream_names_follow_the_spec(string? configured, string expected)
    {
        Assert.Equal(expected, NatsStreamName.Normalize(configured));
    }

    [Fact]
    public void Reconnect_backoff_grows_is_capped_and_jittered()
    {
        TimeSpan min = TimeSpan.FromMilliseconds(100);
        TimeSpan max = TimeSpan.FromSeconds(5);

        Assert.Equal(TimeSpan.FromMilliseconds(50), NatsReconnectBackoff.Delay(0, min, max, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(100), NatsReconnectBackoff.Delay(0, min, max, 1));
        Assert.Equal(TimeSpan.FromMilliseconds(600), NatsReconnectBackoff.Delay(3, min, max, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), NatsReconnectBackoff.Delay(20, min, max, 0));
        Assert.Equal(max, NatsReconnectBackoff.Delay(1000, min, max, 1));
    }
}
