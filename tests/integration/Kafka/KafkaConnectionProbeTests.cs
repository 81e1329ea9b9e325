using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Integration.Kafka;

/// <summary>The connection test's truth table against the mock cluster (SPEC §6.3).</summary>
public sealed class KafkaConnectionProbeTests : IDisposable
{
    private readonly KafkaMockCluster _cluster = new(brokers: 1);
    private readonly KafkaConnectionProbe _probe = new();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task An_existing_topic_with_leaders_is_verified()
    {
        _cluster.CreateTopic("present", partitions: 4);

        var result = await _probe.ProbeAsync(KafkaTestSettings.For(_cluster.Brokers, "present"), default);

        Assert.True(result.Verified, result.Error?.Message);
        Assert.Equal(4, result.PartitionCount);
        Assert.False(result.TlsInsecure);
        Assert.Equal(1_000_000, result.ProducerMaxMessageBytes);
        // The mock does not answer DescribeConfigs for topics, so the topic's own limit stays unknown.
        Assert.Null(result.TopicMaxMessageBytes);
    }

    [Fact]
    public async Task A_missing_topic_is_not_verified()
    {
        _cluster.CreateTopic("present", partitions: 1);
        _cluster.SetTopicError("absent", 3); // UNKNOWN_TOPIC_OR_PART, as a broker without auto-creation answers

        var result = await _probe.ProbeAsync(KafkaTestSettings.For(_cluster.Brokers, "absent"), default);

        Assert.False(result.Verified);
        Assert.Equal("UnknownTopic", result.Error!.Reason);
        Assert.Equal(KafkaErrorKind.Terminal, result.Error.Kind);
    }

    [Fact]
    public async Task A_partition_without_a_leader_is_not_verified()
    {
        _cluster.CreateTopic("leaderless", partitions: 2);
        _cluster.SetPartitionLeader("leaderless", 1, brokerId: -1);

        var result = await _probe.ProbeAsync(KafkaTestSettings.For(_cluster.Brokers, "leaderless"), default);

        Assert.False(result.Verified);
        Assert.Equal("PartitionUnavailable", result.Error!.Reason);
        Assert.Contains("partition 1", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_without_a_broker_is_unreachable()
    {
        var result = await _probe.ProbeAsync(KafkaTestSettings.For([$"127.0.0.1:{KafkaTestSettings.UnusedPort()}"], "any"), default);

        Assert.False(result.Verified);
        Assert.Equal(KafkaErrorKind.Transient, result.Error!.Kind);
        Assert.Contains(result.Error.Reason, new[] { "BrokerUnreachable", "Timeout" });
    }

    [Fact]
    public async Task A_broker_that_is_down_is_unreachable()
    {
        _cluster.CreateTopic("present", partitions: 1);
        _cluster.SetBrokerDown(1);

        var result = await _probe.ProbeAsync(KafkaTestSettings.For(_cluster.Brokers, "present"), default);

        Assert.False(result.Verified);
        Assert.Equal(KafkaErrorKind.Transient, result.Error!.Kind);
        Assert.Contains(result.Error.Reason, new[] { "BrokerUnreachable", "Timeout" });
    }
}
