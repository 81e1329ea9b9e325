using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Integration.Nats;

public sealed class NatsDisposalTests
{
    [Fact]
    public async Task A_publisher_holds_one_connection_across_a_restart_and_none_after_disposal()
    {
        using NatsServerProcess server = NatsServerProcess.Start();
        NatsEventPublisher publisher = new(NatsTestOptions.For(server.Url));
        await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);
        Assert.Equal(1, await server.ConnectionCountAsync());

        server.Restart();
        await TransientRetry.RunAsync(() => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-2", CancellationToken.None));
        Assert.Equal(1, await server.ConnectionCountAsync());

        await publisher.DisposeAsync();
        await Eventually.UntilAsync(async () => await server.ConnectionCountAsync() == 0, "the server to report no client connections");
        NatsException closed = await Assert.ThrowsAsync<NatsException>(
            () => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-3", CancellationToken.None));
        Assert.Equal(NatsFailureKind.Closed, closed.Kind);
    }

    [Fact]
    public async Task Probes_leave_no_connection_behind()
    {
        using NatsServerProcess server = NatsServerProcess.Start();
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(server.Url));

        for (int i = 0; i < 3; i++)
        {
            Assert.True((await publisher.ProbeAsync(CancellationToken.None)).Verified);
        }

        await Eventually.UntilAsync(async () => await server.ConnectionCountAsync() == 0, "the server to report no client connections");
    }
}
