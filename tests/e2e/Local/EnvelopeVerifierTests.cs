using System.Security.Cryptography;
using System.Text;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// The verifier must accept a message written to SPEC §4–§6 and reject each way of breaking it;
/// otherwise the scenarios could pass on wrong envelopes. Messages are written by hand here.
/// </summary>
public sealed class EnvelopeVerifierTests
{
    private const string Items = """[{"targetNamespace":"team-a","targetName":"cms","namespace":"team-a","name":"a","version":"v1","kind":"ConfigMap","uid":"u-1","attributes":{"data":{"k":"\u003cb\u003e \u0026 café"},"value":"x"}},{"targetNamespace":"team-a","targetName":"cms","namespace":"team-a","name":"b","group":"apps","version":"v1","kind":"Deployment","uid":"u-2","attributes":{"password":{"reason":"sensitive-key","redacted":true}}}]""";

    private static string Checksum(string items) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(items)));

    private static string Body(string items, string? checksum = null, string generation = ",\"generation\":3", string eventStart = "{\"schemaVersion\":\"kollect.dev/v1alpha1\",\"timestamp\":\"2026-01-15T12:00:00.25Z\",\"cluster\":\"prod\",\"namespace\":\"team-a\"") =>
        eventStart + ",\"payload\":{\"schemaVersion\":\"kollect.dev/v1alpha1\",\"checksum\":\"" + (checksum ?? Checksum(items)) + "\"" + generation +
        ",\"itemCount\":2,\"exportedAt\":\"2026-01-15T12:00:00Z\",\"cluster\":\"prod\",\"items\":" + items + "}}";

    private static PublishedMessage Kafka(string body, string key = "prod/team-a", string? checksum = null) =>
        new(Broker.Kafka, "test", key, Headers(checksum ?? Checksum(Items)), Encoding.UTF8.GetBytes(body));

    private static List<KeyValuePair<string, string>> Headers(string checksum, string generation = "3") =>
    [
        new("kollect-inventory", "team-a/inv"), new("kollect-checksum", checksum), new("kollect-generation", generation),
        new("kollect-part", "1/1"), new("content-type", "application/json"),
    ];

    [Fact]
    public void A_message_written_to_the_spec_passes_on_both_brokers()
    {
        var body = Body(Items);
        var kafka = EnvelopeVerifier.Verify(Kafka(body), "team-a/inv");
        Assert.Equal(2, kafka.ItemCount);
        Assert.Equal(3, kafka.Generation);
        Assert.Equal("<b> & café", (string?)kafka.Item("team-a", "a")["attributes"]!["data"]!["k"]);

        var bytes = Encoding.UTF8.GetBytes(body);
        var payload = body["{\"schemaVersion\":\"kollect.dev/v1alpha1\",\"timestamp\":\"2026-01-15T12:00:00.25Z\",\"cluster\":\"prod\",\"namespace\":\"team-a\",\"payload\":".Length..^1];
        Assert.Equal(payload, Encoding.UTF8.GetString(EnvelopeVerifier.RawPayload(bytes)));
        var id = Convert.ToHexStringLower(SHA256.HashData([.. "prod/team-a/"u8.ToArray(), .. Encoding.UTF8.GetBytes(payload)]));
        var nats = new PublishedMessage(Broker.Nats, "test", null, [.. Headers(Checksum(Items)), new("Nats-Msg-Id", id)], bytes);
        Assert.Equal(kafka.Checksum, EnvelopeVerifier.Verify(nats, "team-a/inv").Checksum);
    }

    [Fact]
    public void The_checksum_covers_exactly_the_raw_items_bytes()
    {
        Assert.Equal(Items, Encoding.UTF8.GetString(EnvelopeVerifier.RawItems(Encoding.UTF8.GetBytes(Body(Items)))));
    }

    public static TheoryData<string, string> Broken => new()
    {
        { "SHA-256 of the items bytes", Body(Items, checksum: Checksum("[]")) },
        { "not canonical", Body(Items.Replace("\\u003cb\\u003e", "<b>", StringComparison.Ordinal)) },
        { "not canonical", Body(Items.Replace("café", "caf\\u00e9", StringComparison.Ordinal)) },
        { "not canonical", Body(Items).Replace(",\"items\":", ", \"items\":", StringComparison.Ordinal) },
        { "must be sorted", Body(Items.Replace("{\"data\":{\"k\":\"\\u003cb\\u003e \\u0026 café\"},\"value\":\"x\"}", "{\"value\":\"x\",\"data\":{\"k\":\"\\u003cb\\u003e \\u0026 café\"}}", StringComparison.Ordinal)) },
        { "out of canonical order", Body(Items.Replace("\"name\":\"a\"", "\"name\":\"c\"", StringComparison.Ordinal)) },
        { "not in the order", Body(Items, eventStart: "{\"timestamp\":\"2026-01-15T12:00:00.25Z\",\"schemaVersion\":\"kollect.dev/v1alpha1\",\"cluster\":\"prod\",\"namespace\":\"team-a\"") },
        { "RFC 3339", Body(Items, eventStart: "{\"schemaVersion\":\"kollect.dev/v1alpha1\",\"timestamp\":\"2026-01-15T12:00:00.250Z\",\"cluster\":\"prod\",\"namespace\":\"team-a\"") },
        { "not positive", Body(Items, generation: ",\"generation\":0") },
        { "must be sorted", Body(Items.Replace("{\"reason\":\"sensitive-key\",\"redacted\":true}", "{\"redacted\":true,\"reason\":\"sensitive-key\"}", StringComparison.Ordinal)) },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_broken_message_is_rejected_for_its_own_fault(string problem, string body)
    {
        var error = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => EnvelopeVerifier.Verify(Kafka(body), "team-a/inv"));
        Assert.StartsWith("Kafka message test: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_key_headers_and_message_id_are_rejected()
    {
        var body = Body(Items);
        Assert.Contains("Kafka key 'team-a'", Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => EnvelopeVerifier.Verify(Kafka(body, key: "team-a"), "team-a/inv")).Message, StringComparison.Ordinal);
        Assert.Contains("header kollect-inventory", Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => EnvelopeVerifier.Verify(Kafka(body), "team-a/other")).Message, StringComparison.Ordinal);
        var nats = new PublishedMessage(Broker.Nats, "test", null, [.. Headers(Checksum(Items)), new("Nats-Msg-Id", Checksum(body))], Encoding.UTF8.GetBytes(body));
        Assert.Contains("Nats-Msg-Id", Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => EnvelopeVerifier.Verify(nats, "team-a/inv")).Message, StringComparison.Ordinal);
        // The id of the whole body (what an earlier version sent) is wrong too: it hashes the payload only.
        var bodyId = Convert.ToHexStringLower(SHA256.HashData([.. "prod/team-a/"u8.ToArray(), .. Encoding.UTF8.GetBytes(body)]));
        var wholeBody = new PublishedMessage(Broker.Nats, "test", null, [.. Headers(Checksum(Items)), new("Nats-Msg-Id", bodyId)], Encoding.UTF8.GetBytes(body));
        Assert.Contains("payload bytes", Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => EnvelopeVerifier.Verify(wholeBody, "team-a/inv")).Message, StringComparison.Ordinal);
    }
}
