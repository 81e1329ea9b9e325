using System.Text;
using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Integration.Kafka;

/// <summary>Producing to librdkafka's mock cluster and reading back with kcat (SPEC §6.1).</summary>
public sealed class KafkaEventPublisherTests : IDisposable
{
    private readonly KafkaMockCluster _cluster = new(brokers: 3);
    private readonly KafkaProducerPool _pool = new();
    private readonly KafkaEventPublisher _publisher;

    public KafkaEventPublisherTests()
    {
        _publisher = new KafkaEventPublisher(_pool);
    }

    public void Dispose()
    {
        _pool.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public async Task Published_messages_read_back_with_kcat_have_identical_key_headers_and_bytes()
    {
        _cluster.CreateTopic("snapshots", partitions: 4);
        var settings = KafkaTestSettings.For(_cluster.Brokers, "snapshots");
        var sink = new KafkaSinkKey("kollect-system", "events");
        var payloads = new[]
        {
            "{\"schemaVersion\":\"kollect.dev/v1alpha1\",\"items\":[]}",
            "{\"name\":\"überprüfung – ✓\",\"n\":1}",
            new string('x', 200_000),
        };

        var results = new List<KafkaPublishResult>();
        foreach (var (payload, i) in payloads.Select((p, i) => (p, i)))
        {
            var result = await _publisher.PublishAsync(sink, settings, KafkaTestSettings.Message("prod", $"team-{i}", payload), default);
            Assert.True(result.Succeeded, result.Error?.Message);
            results.Add(result);
        }

        var records = await Kcat.ReadAllAsync(_cluster.Bootstrap, "snapshots");
        Assert.Equal(payloads.Length, records.Count);
        foreach (var (payload, i) in payloads.Select((p, i) => (p, i)))
        {
            var record = Assert.Single(records, r => r.Partition == results[i].Partition && r.Offset == results[i].Offset);
            Assert.Equal($"prod/team-{i}", record.Key);
            Assert.Equal(Encoding.UTF8.GetBytes(payload), record.Payload);
            Assert.Equal(KafkaTestSettings.Message("prod", $"team-{i}", payload).Headers, record.Headers);
        }
    }

    [Fact]
    public async Task The_key_picks_the_partition_the_Java_client_would_pick()
    {
        const int partitions = 6;
        _cluster.CreateTopic("keyed", partitions);
        var settings = KafkaTestSettings.For(_cluster.Brokers, "keyed");
        var sink = new KafkaSinkKey("ns", "keyed");
        for (var i = 0; i < 12; i++)
        {
            var message = KafkaTestSettings.Message("cluster-a", $"namespace-{i}", "{}");
            var first = await _publisher.PublishAsync(sink, settings, message, default);
            var second = await _publisher.PublishAsync(sink, settings, message, default);
            Assert.True(first.Succeeded && second.Succeeded, first.Error?.Message ?? second.Error?.Message);
            Assert.Equal(JavaMurmur2.Partition(message.Key, partitions), first.Partition);
            Assert.Equal(first.Partition, second.Partition);
        }
    }
}
