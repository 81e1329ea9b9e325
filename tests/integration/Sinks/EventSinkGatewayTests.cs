using System.Text;
using Kollect.Operator.Export;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Kafka;
using Kollect.Operator.Sinks.Nats;
using Kollect.Tests.Integration.Kafka;
using Kollect.Tests.Integration.Nats;

namespace Kollect.Tests.Integration.Sinks;

/// <summary>The gateway against real nats-server and librdkafka's mock cluster, read back independently.</summary>
public sealed class EventSinkGatewayTests : IAsyncDisposable
{
    private static readonly EndpointPolicy Loopback = new(AllowPrivate: false, AllowLoopback: true);
    private readonly EventSinkGateway _gateway = new();

    public ValueTask DisposeAsync() => _gateway.DisposeAsync();

    private static SinkMessage Message(string body) => new(
        "prod/team-a",
        [new("kollect-inventory", "team-a/inv"), new("kollect-checksum", "c0ffee"), new("kollect-generation", "3"), new("kollect-part", "1/1"), new("content-type", "application/json")],
        Encoding.UTF8.GetBytes(body),
        ExportMessageMetadata.NatsMessageId("prod", "team-a", Encoding.UTF8.GetBytes(body)));

    private static EventSinkResolution Nats(NatsSinkOptions options) => new() { Sink = "team-a/orders", Type = "nats", Nats = options, EndpointPolicy = Loopback };

    private static EventSinkResolution Kafka(KafkaSinkSettings settings) => new() { Sink = "team-a/orders", Type = "kafka", Kafka = settings, EndpointPolicy = Loopback };

    [Fact]
    public async Task Nats_publish_is_stored_with_ordered_headers_and_the_limit_leaves_room_for_them()
    {
        using var server = NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(dir, "max_payload: 200000"));
        var sink = Nats(NatsTestOptions.For(server.Url));

        var limit = await _gateway.MessageLimitAsync(sink, default);
        var outcome = await _gateway.PublishAsync(sink, Message("{\"n\":1}"), default);
        var full = await _gateway.PublishAsync(sink, Message("\"" + new string('x', (int)limit!.Value - 2) + "\""), default);

        Assert.Equal(200000 - EventSinkGateway.NatsEnvelopeOverhead, limit);
        Assert.True(outcome.Delivered, outcome.Message);
        Assert.Equal("kollect_events#1", outcome.Location);
        Assert.True(full.Delivered, full.Message);
        using var reader = RawNatsClient.Connect(server.Port);
        var (subject, headers, data) = reader.GetStoredMessage("kollect_events", 1);
        Assert.Equal("kollect.events", subject);
        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(data));
        var order = new[] { "kollect-inventory", "kollect-checksum", "kollect-generation", "kollect-part", "content-type", "Nats-Msg-Id" }
            .Select(h => headers.IndexOf(h + ":", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order().ToList(), order);
    }

    [Fact]
    public async Task Nats_publisher_is_rebuilt_when_the_secret_changes_and_failures_carry_reasons()
    {
        using var server = NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(dir, "authorization { user: \"kollect\", password: \"right-pass\", timeout: 10 }"));
        var wrong = Nats(NatsTestOptions.For(server.Url) with { Auth = new NatsAuthOptions { Username = "kollect", Password = "wrong-pass" } });
        var right = wrong with { Nats = wrong.Nats! with { Auth = new NatsAuthOptions { Username = "kollect", Password = "right-pass" } } };

        var refused = await _gateway.PublishAsync(wrong, Message("{}"), default);
        var unknownLimit = await _gateway.MessageLimitAsync(wrong, default);
        var delivered = await _gateway.PublishAsync(right, Message("{}"), default);

        Assert.False(refused.Delivered);
        Assert.False(refused.Transient);
        Assert.Equal("AuthenticationFailed", refused.Reason);
        Assert.DoesNotContain("wrong-pass", refused.Message, StringComparison.Ordinal);
        Assert.Null(unknownLimit);
        Assert.True(delivered.Delivered, delivered.Message);
    }

    [Fact]
    public async Task Nats_probe_verifies_a_good_sink_and_fails_a_missing_stream_in_existing_mode()
    {
        using var server = NatsServerProcess.Start();
        var good = await _gateway.ProbeAsync(Nats(NatsTestOptions.For(server.Url)), default);
        var missing = await _gateway.ProbeAsync(Nats(NatsTestOptions.For(server.Url, stream: "absent", mode: NatsProvisioningMode.Existing)), default);

        Assert.True(good.Verified, good.Message);
        Assert.Equal(SinkProbeOutcome.ConnectionOk, good.Reason);
        Assert.False(missing.Verified);
        Assert.Equal(EventSinkResolveFailure.ConnectionTestFailed, missing.Reason);
        Assert.Equal(nameof(NatsFailureKind.StreamNotFound), missing.Classification);
    }

    [Fact]
    public async Task Kafka_publish_reads_back_with_kcat_and_oversized_messages_fail_before_sending()
    {
        using var cluster = new KafkaMockCluster();
        cluster.CreateTopic("inventory", partitions: 2);
        var sink = Kafka(KafkaTestSettings.For(cluster.Brokers, "inventory"));

        var limit = await _gateway.MessageLimitAsync(sink, default);
        var delivered = await _gateway.PublishAsync(sink, Message("{\"n\":1}"), default);
        var oversized = await _gateway.PublishAsync(sink, Message(new string('x', (int)limit!.Value + EventSinkGateway.LongestHeaders.Count * 400)), default);

        Assert.Equal(1_000_000 - EventSinkGateway.KafkaEnvelopeOverhead, limit);
        Assert.True(delivered.Delivered, delivered.Message);
        Assert.Equal("MessageTooLarge", oversized.Reason);
        Assert.False(oversized.Transient);
        var record = Assert.Single(await Kcat.ReadAllAsync(cluster.Bootstrap, "inventory"));
        Assert.Equal("prod/team-a", record.Key);
        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(record.Payload));
        Assert.Equal(["kollect-inventory", "kollect-checksum", "kollect-generation", "kollect-part", "content-type"], record.Headers.Select(h => h.Key));
    }

    [Fact]
    public async Task Kafka_probe_verdicts_and_an_unresolved_sink_fail_without_dialing()
    {
        using var cluster = new KafkaMockCluster();
        cluster.CreateTopic("inventory", partitions: 3);
        cluster.SetTopicError("absent", 3);

        var good = await _gateway.ProbeAsync(Kafka(KafkaTestSettings.For(cluster.Brokers, "inventory")), default);
        var absent = await _gateway.ProbeAsync(Kafka(KafkaTestSettings.For(cluster.Brokers, "absent")), default);
        var unresolved = await _gateway.ProbeAsync(
            new EventSinkResolution { Sink = "team-a/orders", Type = "kafka", EndpointPolicy = Loopback, Failure = new(EventSinkResolveFailure.SecretResolveFailed, "Secret team-a/creds not found") },
            default);
        var notPublished = await _gateway.PublishAsync(
            new EventSinkResolution { Sink = "team-a/orders", Type = "kafka", EndpointPolicy = Loopback, Failure = new(EventSinkResolveFailure.SecretResolveFailed, "Secret team-a/creds not found") },
            Message("{}"), default);

        Assert.True(good.Verified, good.Message);
        Assert.Contains("3 partitions", good.Message, StringComparison.Ordinal);
        Assert.False(absent.Verified);
        Assert.StartsWith("UnknownTopic", absent.Classification, StringComparison.Ordinal);
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, unresolved.Reason);
        Assert.Equal(EventSinkGateway.SinkNotResolved, notPublished.Reason);
    }
}
