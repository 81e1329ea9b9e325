using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Integration.Kafka;

/// <summary>Sink settings with short timeouts so that every failure path ends within seconds.</summary>
public static class KafkaTestSettings
{
    /// <summary>Settings for a topic on the given brokers.</summary>
    public static KafkaSinkSettings For(IReadOnlyList<string> brokers, string topic) => new()
    {
        Brokers = brokers,
        Topic = topic,
        DeliveryTimeout = TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(3),
        TopicPropagationTimeout = TimeSpan.FromSeconds(1),
    };

    /// <summary>A message with the headers the exporter sends (SPEC §5).</summary>
    public static KafkaOutgoingMessage Message(string cluster, string @namespace, string payload, int part = 1) => new(
        KafkaOutgoingMessage.KeyFor(cluster, @namespace),
        [
            new("kollect-inventory", $"{@namespace}/inv"),
            new("kollect-checksum", "sha256:0123abcd"),
            new("kollect-generation", "7"),
            new("kollect-part", $"{part}/1"),
            new("content-type", "application/json"),
        ],
        System.Text.Encoding.UTF8.GetBytes(payload));

    /// <summary>A loopback port with nothing listening on it.</summary>
    public static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
