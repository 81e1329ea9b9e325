using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Integration.Nats;

public sealed class NatsKeepAliveTests
{
    [Fact]
    public async Task A_server_that_stops_answering_pings_is_detected_and_the_publisher_reconnects_after_it_resumes()
    {
        using NatsServerProcess server = NatsServerProcess.Start();
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with
        {
            PingInterval = TimeSpan.FromMilliseconds(250),
            MaxPingsOutstanding = 2,
            ConnectTimeout = TimeSpan.FromSeconds(1),
            RequestTimeout = TimeSpan.FromSeconds(1),
        };
        await using NatsEventPublisher publisher = new(options);
        await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);

        // A frozen process keeps its TCP connections open: only missed PONGs can reveal it.
        server.Pause();
        try
        {
            await Eventually.UntilAsync(() => !publisher.IsConnected, "the client to notice the frozen server (missed PONGs)");
        }
        finally
        {
            server.Resume();
        }

        await Eventually.UntilAsync(() => publisher.IsConnected, "the client to reconnect to the resumed server");
        await TransientRetry.RunAsync(() => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-2", CancellationToken.None));
        Assert.True(publisher.ReconnectCount >= 1);
    }

    [Fact]
    public async Task The_client_answers_server_pings_so_an_idle_connection_stays_up()
    {
        // The server pings every 500 ms and drops a client after 4 unanswered pings (about 2.5 s):
        // a client that never answers is dropped within the wait below, a slow CI machine is not.
        using NatsServerProcess server = NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(dir, "ping_interval: \"500ms\"\nping_max: 4"));
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with { PingInterval = TimeSpan.FromMinutes(10) };
        await using NatsEventPublisher publisher = new(options);
        await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(4));
        await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-2", CancellationToken.None);

        Assert.Equal(0, publisher.ReconnectCount);
        Assert.DoesNotContain("Stale Connection", server.Log, StringComparison.Ordinal);
    }
}
