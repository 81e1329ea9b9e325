using System.Security.Cryptography;
using System.Text;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

public sealed class ExportMessageMetadataTests
{
    private static ExportPlan PlanAt(DateTimeOffset publishedAt, long limit = long.MaxValue) => ExportPartitioner.Plan(
        Rows.Many(4), new EnvelopeContext("prod", "team-a", 5, new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero), publishedAt), limit);

    [Fact]
    public void Headers_name_inventory_checksum_generation_part_and_content_type()
    {
        var part = PlanAt(DateTimeOffset.UnixEpoch).Parts.Single();
        var headers = ExportMessageMetadata.Headers("team-a", "inv", part);
        Assert.Equal(
            [
                new("kollect-inventory", "team-a/inv"),
                new("kollect-checksum", part.Checksum),
                new("kollect-generation", "5"),
                new("kollect-part", "1/1"),
                new("content-type", "application/json"),
            ],
            headers);
        Assert.Equal("cluster-inv", ExportMessageMetadata.Headers("", "cluster-inv", part)[0].Value);
    }

    [Fact]
    public void Multipart_headers_carry_each_part_number_and_checksum()
    {
        var full = PlanAt(DateTimeOffset.UnixEpoch).Parts.Single().Message.Length;
        var plan = PlanAt(DateTimeOffset.UnixEpoch, full - 1);
        Assert.Equal(2, plan.Parts.Count);
        Assert.Equal("2/2", ExportMessageMetadata.Headers("team-a", "inv", plan.Parts[1])[3].Value);
        Assert.Equal(plan.Parts[1].Checksum, ExportMessageMetadata.Headers("team-a", "inv", plan.Parts[1])[1].Value);
    }

    [Fact]
    public void Kafka_key_is_cluster_slash_namespace()
    {
        Assert.Equal("prod/team-a", ExportMessageMetadata.KafkaKey("prod", "team-a"));
        Assert.Equal("/cluster", ExportMessageMetadata.KafkaKey("", "cluster"));
    }

    [Fact]
    public void Nats_message_id_hashes_cluster_namespace_and_the_published_body()
    {
        var message = PlanAt(DateTimeOffset.UnixEpoch).Parts.Single().Message;
        var expected = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes("prod/team-a/"), .. message]));
        Assert.Equal(expected, ExportMessageMetadata.NatsMessageId("prod", "team-a", message));
        // The body is the whole event envelope, not its payload field: it starts with the envelope.
        Assert.StartsWith("{\"schemaVersion\":\"kollect.dev/v1alpha1\",\"timestamp\":", Encoding.UTF8.GetString(message), StringComparison.Ordinal);
    }

    [Fact]
    public void Nats_message_id_is_stable_for_a_retry_and_new_for_a_later_attempt_with_the_same_content()
    {
        var first = PlanAt(DateTimeOffset.UnixEpoch).Parts.Single();
        var retry = PlanAt(DateTimeOffset.UnixEpoch).Parts.Single();
        var later = PlanAt(DateTimeOffset.UnixEpoch.AddSeconds(1)).Parts.Single();
        Assert.Equal(first.Checksum, later.Checksum);
        Assert.Equal(ExportMessageMetadata.NatsMessageId("prod", "team-a", first.Message), ExportMessageMetadata.NatsMessageId("prod", "team-a", retry.Message));
        Assert.NotEqual(ExportMessageMetadata.NatsMessageId("prod", "team-a", first.Message), ExportMessageMetadata.NatsMessageId("prod", "team-a", later.Message));
        Assert.NotEqual(ExportMessageMetadata.NatsMessageId("prod", "team-a", first.Message), ExportMessageMetadata.NatsMessageId("prod", "team-b", first.Message));
    }
}
