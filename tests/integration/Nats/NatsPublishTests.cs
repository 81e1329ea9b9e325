using System.Text;
using Kollect.Operator.Export;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Integration.Nats;

public sealed class NatsPublishTests : IDisposable
{
    private readonly NatsServerProcess _server = NatsServerProcess.Start();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Published_message_reaches_an_independent_subscriber_and_the_stream_byte_for_byte()
    {
        using RawNatsClient raw = RawNatsClient.Connect(_server.Port);
        raw.Subscribe("kollect.events", 7);
        byte[] payload = Encoding.UTF8.GetBytes("{\"schemaVersion\":\"kollect.dev/v1alpha1\",\"cluster\":\"c1\",\"payload\":{\"ü\":\"\\r\\n\"}}\r\nMSG fake 1 2\r\n");
        string messageId = ExportMessageMetadata.NatsMessageId("c1", "team-a", payload);

        await using NatsEventPublisher publisher = new(NatsTestOptions.For(_server.Url));
        NatsPublishResult ack = await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), payload, messageId, CancellationToken.None);

        Assert.Equal(new NatsPublishResult("kollect_events", 1, Duplicate: false), ack);
        RawNatsClient.Received received = raw.ReadMessage();
        Assert.Equal("kollect.events", received.Subject);
        Assert.Equal(payload, received.Payload);
        Assert.Equal(messageId, received.Header("Nats-Msg-Id"));
        Assert.Equal("team-a/inv", received.Header("kollect-inventory"));
        Assert.Equal("abc123", received.Header("kollect-checksum"));
        Assert.Equal("1/1", received.Header("kollect-part"));
        Assert.Equal("application/json", received.Header("content-type"));

        (string subject, string headers, byte[] data) = raw.GetStoredMessage("kollect_events", 1);
        Assert.Equal("kollect.events", subject);
        Assert.Equal(payload, data);
        Assert.Contains($"Nats-Msg-Id: {messageId}\r\n", headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_attempt_published_twice_is_stored_once()
    {
        byte[] payload = "{\"n\":1}"u8.ToArray();
        string messageId = ExportMessageMetadata.NatsMessageId("c1", "team-a", payload);
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(_server.Url));

        NatsPublishResult first = await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), payload, messageId, CancellationToken.None);
        NatsPublishResult second = await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), payload, messageId, CancellationToken.None);

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(first.Sequence, second.Sequence);
        using RawNatsClient raw = RawNatsClient.Connect(_server.Port);
        Assert.Equal(1, raw.StreamState("kollect_events")!.Value.Messages);
    }

    [Fact]
    public async Task Ensure_mode_creates_the_missing_stream_with_the_subject_and_a_normalised_name()
    {
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(_server.Url, subject: "inv.prod", stream: "team.events"));
        Assert.Equal("team_events", publisher.StreamName);
        using RawNatsClient raw = RawNatsClient.Connect(_server.Port);
        Assert.Null(raw.StreamState("team_events"));

        await publisher.PublishAsync("inv.prod", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);

        (long messages, string[] subjects) = raw.StreamState("team_events")!.Value;
        Assert.Equal(1, messages);
        Assert.Equal(["inv.prod"], subjects);
    }

    [Fact]
    public async Task Ensure_mode_never_modifies_an_existing_stream()
    {
        using RawNatsClient raw = RawNatsClient.Connect(_server.Port);
        raw.CreateStream("kollect_events", "kollect.>");
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(_server.Url, subject: "kollect.events"));

        await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);

        Assert.Equal(["kollect.>"], raw.StreamState("kollect_events")!.Value.Subjects);
    }

    [Fact]
    public async Task Existing_mode_requires_the_stream()
    {
        NatsSinkOptions options = NatsTestOptions.For(_server.Url, stream: "prepared", mode: NatsProvisioningMode.Existing);
        await using NatsEventPublisher publisher = new(options);

        NatsException missing = await Assert.ThrowsAsync<NatsException>(
            () => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None));
        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.Equal(NatsFailureKind.StreamNotFound, missing.Kind);
        Assert.False(missing.IsTransient);
        Assert.Contains("'prepared'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("existing", missing.Message, StringComparison.Ordinal);
        Assert.False(probe.Verified);
        Assert.Equal(NatsFailureKind.StreamNotFound, probe.Failure);
        using RawNatsClient raw = RawNatsClient.Connect(_server.Port);
        Assert.Null(raw.StreamState("prepared"));

        raw.CreateStream("prepared", "kollect.events");
        Assert.True((await publisher.ProbeAsync(CancellationToken.None)).Verified);
        NatsPublishResult ack = await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);
        Assert.Equal("prepared", ack.Stream);
    }

    [Fact]
    public async Task A_subject_owned_by_another_stream_is_an_error_naming_that_stream()
    {
        using RawNatsClient raw = RawNatsClient.Connect(_server.Port);
        raw.CreateStream("ORDERS", "kollect.*");
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(_server.Url, subject: "kollect.events"));

        NatsException conflict = await Assert.ThrowsAsync<NatsException>(
            () => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None));
        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.Equal(NatsFailureKind.SubjectOwnedByOtherStream, conflict.Kind);
        Assert.Contains("'ORDERS'", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("kollect.events", conflict.Message, StringComparison.Ordinal);
        Assert.False(probe.Verified);
        Assert.Equal(NatsFailureKind.SubjectOwnedByOtherStream, probe.Failure);
        Assert.Contains("'ORDERS'", probe.Message, StringComparison.Ordinal);
        Assert.Null(raw.StreamState("kollect_events"));
    }

    [Fact]
    public async Task An_existing_stream_without_the_subject_is_reported_and_left_alone()
    {
        using RawNatsClient raw = RawNatsClient.Connect(_server.Port);
        raw.CreateStream("kollect_events", "other.subject");
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(_server.Url, subject: "kollect.events"));

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.Equal(NatsFailureKind.StreamSubjectMismatch, probe.Failure);
        Assert.Contains("other.subject", probe.Message, StringComparison.Ordinal);
        Assert.Equal(["other.subject"], raw.StreamState("kollect_events")!.Value.Subjects);
    }

    [Fact]
    public async Task Probe_in_ensure_mode_verifies_a_creatable_stream_without_creating_it()
    {
        await using NatsEventPublisher publisher = new(NatsTestOptions.For(_server.Url));

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.True(probe.Verified, probe.Message);
        Assert.Contains("will be created", probe.Message, StringComparison.Ordinal);
        using RawNatsClient raw = RawNatsClient.Connect(_server.Port);
        Assert.Null(raw.StreamState("kollect_events"));
    }
}
