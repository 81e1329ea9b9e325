using System.Text;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Integration.Nats;

public sealed class NatsResilienceTests
{
    [Fact]
    public async Task Publisher_recovers_from_a_server_restart_and_every_acknowledged_message_is_stored_once()
    {
        using NatsServerProcess server = NatsServerProcess.Start();
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(server.Url) with { RequestTimeout = TimeSpan.FromSeconds(2) });
        const int total = 40;
        Task restart = Task.CompletedTask;
        for (int i = 0; i < total; i++)
        {
            if (i == 15)
            {
                // Killed with SIGKILL between two publishes, restarted while the loop keeps publishing.
                server.Kill();
                restart = Task.Run(server.Restart);
            }

            byte[] payload = Encoding.UTF8.GetBytes($"{{\"n\":{i}}}");
            await PublishUntilAcknowledgedAsync(publisher, payload, $"attempt-{i}");
        }

        await restart;
        using RawNatsClient raw = RawNatsClient.Connect(server.Port);
        Assert.Equal(total, raw.StreamState("kollect_events")!.Value.Messages);
        List<string> stored = [];
        for (int sequence = 1; sequence <= total; sequence++)
        {
            stored.Add(MessageId(raw.GetStoredMessage("kollect_events", sequence).Headers));
        }

        Assert.Equal(Enumerable.Range(0, total).Select(i => $"attempt-{i}").Order(), stored.Order());
    }

    [Fact]
    public async Task A_publish_while_the_server_is_down_fails_after_our_timeout_and_is_stored_at_most_once_in_order()
    {
        using NatsServerProcess server = NatsServerProcess.Start();
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with { RequestTimeout = TimeSpan.FromMilliseconds(500) };
        await using NatsEventPublisher publisher = new(options);
        await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "before", CancellationToken.None);

        server.Kill();
        // NATS.Net would wait for the connection as long as the caller lets it; our RequestTimeout ends the wait.
        NatsException down = await Assert.ThrowsAsync<NatsException>(
            () => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "during", CancellationToken.None));

        Assert.True(down.Kind is NatsFailureKind.Disconnected or NatsFailureKind.Timeout, down.Kind.ToString());
        Assert.True(down.IsTransient);
        Assert.Contains("retrying with the same Nats-Msg-Id is safe", down.Message, StringComparison.Ordinal);
        server.Restart();
        await TransientRetry.RunAsync(() => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "after", CancellationToken.None));
        Assert.True(publisher.IsConnected);
        Assert.True(publisher.ReconnectCount >= 1);

        // NATS.Net keeps a command it has queued while reconnecting (its writer cannot take one back
        // once queued), so the publish that timed out may still reach the stream after the
        // reconnect; that is why the error says the message may have been stored. What holds: it
        // is stored at most once, and in the order it was published (never after "after").
        using RawNatsClient raw = RawNatsClient.Connect(server.Port);
        long count = raw.StreamState("kollect_events")!.Value.Messages;
        List<string> stored = [];
        for (int sequence = 1; sequence <= (int)count; sequence++)
        {
            stored.Add(MessageId(raw.GetStoredMessage("kollect_events", sequence).Headers));
        }

        string[] expected = stored.Count == 3 ? ["before", "during", "after"] : ["before", "after"];
        Assert.Equal(expected, stored);
    }

    [Fact]
    public async Task A_publish_in_flight_fails_as_transient_when_the_server_dies()
    {
        using NatsServerProcess server = NatsServerProcess.Start();
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(server.Url) with { RequestTimeout = TimeSpan.FromSeconds(2) });
        await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "first", CancellationToken.None);

        // Frozen, the server takes the publish into its socket buffer and never acknowledges it.
        server.Pause();
        Task<NatsPublishResult> publish = publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "in-flight", CancellationToken.None);
        await Task.Delay(200);
        server.Kill();
        NatsException failure = await Assert.ThrowsAsync<NatsException>(() => publish);

        Assert.True(failure.Kind is NatsFailureKind.Disconnected or NatsFailureKind.Timeout, failure.Kind.ToString());
        Assert.True(failure.IsTransient);
    }

    [Fact]
    public async Task An_oversized_message_is_refused_before_it_is_sent()
    {
        using NatsServerProcess server = NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(dir, "max_payload: 1024"));
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(server.Url));

        NatsException tooLarge = await Assert.ThrowsAsync<NatsException>(
            () => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), new byte[2000], "id-big", CancellationToken.None));
        NatsPublishResult small = await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-small", CancellationToken.None);

        Assert.Equal(NatsFailureKind.PayloadTooLarge, tooLarge.Kind);
        Assert.False(tooLarge.IsTransient);
        Assert.Contains("1024", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("not sent", tooLarge.Message, StringComparison.Ordinal);
        Assert.Equal(1ul, small.Sequence);
        Assert.DoesNotContain("Maximum Payload", server.Log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_server_without_jetstream_fails_the_probe_clearly()
    {
        using NatsServerProcess server = NatsServerProcess.Start(jetStream: false);
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(server.Url));

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.Equal(NatsFailureKind.JetStreamNotEnabled, probe.Failure);
        Assert.Contains("JetStream is not enabled", probe.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_endpoint_guard_refuses_loopback_unless_allowed()
    {
        using NatsServerProcess server = NatsServerProcess.Start();
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with { EndpointPolicy = Kollect.Operator.Sinks.Common.EndpointPolicy.PublicOnly };
        await using NatsEventPublisher publisher = new(options);

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.Equal(NatsFailureKind.EndpointDenied, probe.Failure);
        Assert.Contains("--allow-loopback-sinks", probe.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_connection_failure()
    {
        int port;
        using (NatsServerProcess server = NatsServerProcess.Start(jetStream: false))
        {
            port = server.Port;
        }

        await using NatsEventPublisher publisher = new(NatsTestOptions.For($"nats://127.0.0.1:{port}"));

        NatsException failure = await Assert.ThrowsAsync<NatsException>(
            () => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None));

        Assert.Equal(NatsFailureKind.ConnectionFailed, failure.Kind);
        Assert.True(failure.IsTransient);
        Assert.Contains("ConnectionRefused", failure.Message, StringComparison.Ordinal);
    }

    private static string MessageId(string headers) =>
        headers.Split("\r\n").Single(line => line.StartsWith("Nats-Msg-Id:", StringComparison.Ordinal))["Nats-Msg-Id:".Length..].Trim();

    private static async Task PublishUntilAcknowledgedAsync(NatsEventPublisher publisher, byte[] payload, string messageId) =>
        await TransientRetry.RunAsync(() => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), payload, messageId, CancellationToken.None));
}
