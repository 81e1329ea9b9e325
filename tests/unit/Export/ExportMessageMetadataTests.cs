using System.Security.Cryptography;
using System.Text;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

public sealed class ExportMessageMetadataTests
{
    private static readonly DateTimeOffset Exported = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    // As the exporter does, the export and the publish share one clock reading unless a test says otherwise.
    private static ExportPlan PlanAt(DateTimeOffset at, long limit = long.MaxValue, DateTimeOffset? publishedAt = null) => ExportPartitioner.Plan(
        Rows.Many(4), new EnvelopeContext("prod", "team-a", 5, at, publishedAt ?? at), limit);

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
        var full = PlanAt(DateTimeOffset.UnixEpoch).Parts.Single().ExportEnvelope.Length;
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
    public void Nats_message_id_hashes_cluster_namespace_and_the_export_envelope()
    {
        var part = PlanAt(Exported).Parts.Single();
        using var document = System.Text.Json.JsonDocument.Parse(part.Message);
        var payload = Encoding.UTF8.GetBytes(document.RootElement.GetProperty("payload").GetRawText());
        Assert.Equal(payload, part.ExportEnvelope.ToArray());
        Assert.StartsWith("""{"schemaVersion":"kollect.dev/v1alpha1","checksum":""", Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        var expected = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes("prod/team-a/"), .. payload]));
        Assert.Equal(expected, ExportMessageMetadata.NatsMessageId("prod", "team-a", part.ExportEnvelope.Span));
        // Not the whole message body (the event envelope), which an earlier version hashed.
        Assert.NotEqual(Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes("prod/team-a/"), .. part.Message])), expected);
    }

    [Fact]
    public void Nats_message_id_of_a_known_export_envelope()
    {
        // sha256("prod/team-a/" + the export envelope below), computed with sha256sum.
        var envelope = """{"schemaVersion":"kollect.dev/v1alpha1","checksum":"4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945","itemCount":0,"exportedAt":"2026-01-15T12:00:00Z","items":[]}"""u8;
        Assert.Equal("286189a45fa268df37e3d0c144da3cbc108b670f9f32753fae4c9b1cc2ab7047", ExportMessageMetadata.NatsMessageId("prod", "team-a", envelope));
    }

    [Fact]
    public void Nats_message_id_is_stable_for_a_retry_and_new_for_a_later_attempt_with_the_same_content()
    {
        var first = PlanAt(Exported).Parts.Single();
        var retry = PlanAt(Exported).Parts.Single();
        var later = PlanAt(Exported.AddSeconds(1)).Parts.Single();
        Assert.Equal(first.Checksum, later.Checksum);
        Assert.Equal(Id("team-a", first), Id("team-a", retry));
        Assert.NotEqual(Id("team-a", first), Id("team-a", later));
        Assert.NotEqual(Id("team-a", first), Id("team-b", first));
        // Only the export envelope counts: a different publish time alone does not change the id.
        Assert.Equal(Id("team-a", first), Id("team-a", PlanAt(Exported, publishedAt: Exported.AddSeconds(5)).Parts.Single()));
    }

    private static string Id(string ns, ExportPart part) => ExportMessageMetadata.NatsMessageId("prod", ns, part.ExportEnvelope.Span);
}
