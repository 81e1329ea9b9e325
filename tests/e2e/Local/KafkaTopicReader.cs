
namespace Kollect.Tests.E2e.Local;

/// <summary>Reads a whole Kafka topic back with kcat (an independent client).</summary>
public static class KafkaTopicReader
{
    public static async Task<IReadOnlyList<PublishedMessage>> ReadAsync(string bootstrap, string topic)
    {
        var records = await Kcat.ReadAllAsync(bootstrap, topic);
        return records
            .Select(r => new PublishedMessage(Broker.Kafka, $"{topic}[{r.Partition}]@{r.Offset}", r.Key, r.Headers, r.Payload))
            .ToList();
    }
}
