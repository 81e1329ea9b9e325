using System.Text;
using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Integration.Kafka;

/// <summary>Broker failures, injected errors and limits against the mock cluster (SPEC §6.1).</summary>
public sealed class KafkaPublisherFaultTests : IDisposable
{
    // Kafka protocol error codes the mock injects.
    private const int NotLeaderForPartition = 6;
    private const int RequestTimedOut = 7;
    private const int UnknownTopicOrPartition = 3;

    private readonly KafkaMockCluster _cluster = new(brokers: 2);
    private readonly KafkaProducerPool _pool = new();
    private readonly KafkaEventPublisher _publisher;
    private readonly KafkaSinkKey _sink = new("team", "sink");

    public KafkaPublisherFaultTests()
    {
        _publisher = new KafkaEventPublisher(_pool);
    }

    public void Dispose()
    {
        _pool.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public async Task A_leader_that_goes_down_and_comes_back_gets_the_message_exactly_once()
    {
        _cluster.CreateTopic("outage", partitions: 1);
        _cluster.SetPartitionLeader("outage", 0, brokerId: 1);
        var settings = KafkaTestSettings.For(_cluster.Brokers, "outage") with { DeliveryTimeout = TimeSpan.FromSeconds(20) };
        Assert.True((await _publisher.PublishAsync(_sink, settings, KafkaTestSettings.Message("c", "before", "one"), default)).Succeeded);

        _cluster.SetBrokerDown(1);
        var during = _publisher.PublishAsync(_sink, settings, KafkaTestSettings.Message("c", "during", "two"), default);
        // Let the producer notice the outage and queue the message before the broker returns.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        _cluster.SetBrokerUp(1);

        var result = await during;
        Assert.True(result.Succeeded, result.Error?.Message);
        var records = await Kcat.ReadAllAsync(_cluster.Bootstrap, "outage");
        Assert.Equal(["one", "two"], records.Select(r => Encoding.UTF8.GetString(r.Payload)));
    }

    [Fact]
    public async Task Injected_leader_and_timeout_errors_are_retried_without_duplicates()
    {
        _cluster.CreateTopic("flaky", partitions: 1);
        var settings = KafkaTestSettings.For(_cluster.Brokers, "flaky");
        Assert.True((await _publisher.PublishAsync(_sink, settings, KafkaTestSettings.Message("c", "warm", "zero"), default)).Succeeded);

        _cluster.PushRequestErrors(KafkaMockCluster.ProduceApiKey, NotLeaderForPartition, RequestTimedOut, NotLeaderForPartition);
        var result = await _publisher.PublishAsync(_sink, settings, KafkaTestSettings.Message("c", "ns", "once"), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        var records = await Kcat.ReadAllAsync(_cluster.Bootstrap, "flaky");
        Assert.Equal(["zero", "once"], records.Select(r => Encoding.UTF8.GetString(r.Payload)));
    }

    [Fact]
    public async Task A_message_over_the_limit_fails_at_once_with_a_terminal_error_and_is_not_written()
    {
        _cluster.CreateTopic("small", partitions: 1);
        var settings = KafkaTestSettings.For(_cluster.Brokers, "small") with { MessageMaxBytes = 10_000 };
        var message = KafkaTestSettings.Message("c", "big", new string('y', 10_001));

        var result = await _publisher.PublishAsync(_sink, settings, message, default);

        Assert.False(result.Succeeded);
        Assert.Equal(KafkaErrorKind.Terminal, result.Error!.Kind);
        Assert.Equal("MessageTooLarge", result.Error.Reason);
        Assert.Contains("split", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains(message.MeasureSize().ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await Kcat.ReadAllAsync(_cluster.Bootstrap, "small"));
    }

    [Fact]
    public async Task A_missing_topic_is_a_terminal_error_that_names_the_topic()
    {
        _cluster.SetTopicError("no-such-topic", UnknownTopicOrPartition);
        var settings = KafkaTestSettings.For(_cluster.Brokers, "no-such-topic");

        var result = await _publisher.PublishAsync(_sink, settings, KafkaTestSettings.Message("c", "ns", "{}"), default);

        Assert.False(result.Succeeded);
        Assert.Equal(KafkaErrorKind.Terminal, result.Error!.Kind);
        Assert.Equal("UnknownTopic", result.Error.Reason);
        Assert.Contains("'no-such-topic'", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_settings_rebuild_the_sinks_producer_and_unchanged_ones_reuse_it()
    {
        _cluster.CreateTopic("pooled", partitions: 1);
        var settings = KafkaTestSettings.For(_cluster.Brokers, "pooled");
        Assert.True((await _publisher.PublishAsync(_sink, settings, KafkaTestSettings.Message("c", "a", "1"), default)).Succeeded);
        Assert.True((await _publisher.PublishAsync(_sink, settings with { }, KafkaTestSettings.Message("c", "a", "2"), default)).Succeeded);
        Assert.Equal(1, _pool.ProducersBuilt);

        var changed = settings with { Compression = KafkaCompression.Gzip };
        Assert.True((await _publisher.PublishAsync(_sink, changed, KafkaTestSettings.Message("c", "a", "3"), default)).Succeeded);
        Assert.Equal(2, _pool.ProducersBuilt);
        Assert.Equal(1, _pool.Count);

        var records = await Kcat.ReadAllAsync(_cluster.Bootstrap, "pooled");
        Assert.Equal(["1", "2", "3"], records.Select(r => Encoding.UTF8.GetString(r.Payload)));

        _pool.Remove(_sink);
        Assert.Equal(0, _pool.Count);
    }
}
