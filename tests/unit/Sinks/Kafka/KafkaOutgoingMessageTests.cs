using System.Text;
using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Unit.Sinks.Kafka;

public sealed class KafkaOutgoingMessageTests
{
    [Fact]
    public void The_key_is_cluster_slash_namespace()
    {
        Assert.Equal("prod-eu/team-a", KafkaOutgoingMessage.KeyFor("prod-eu", "team-a"));
        Assert.Equal("/cluster", KafkaOutgoingMessage.KeyFor("", "cluster"));
    }

    [Fact]
    public void The_measured_size_counts_value_key_and_headers_as_serialized()
    {
        var value = new byte[300];
        var header = new string('h', 70); // 70 bytes: zig-zag 140 needs a two-byte varint
        var message = new KafkaOutgoingMessage("c/ns", [new("kollect-part", "1/2"), new(header, "")], value);

        // value 300 + key 4 + (1 + 12 + 1 + 3) + (2 + 70 + 1 + 0)
        Assert.Equal(300 + 4 + 17 + 73, message.MeasureSize());
    }

    [Fact]
    public void Multibyte_text_is_counted_in_UTF8_bytes()
    {
        var message = new KafkaOutgoingMessage("ü", [], Encoding.UTF8.GetBytes("✓"));
        Assert.Equal(2 + 3, message.MeasureSize());
    }
}
