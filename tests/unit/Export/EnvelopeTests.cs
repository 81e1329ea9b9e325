using System.Buffers;
using System.Text;
using System.Text.Json;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

/// <summary>The envelopes against the golden files of the original project (shape and field order).</summary>
public sealed class EnvelopeTests
{
    private static readonly EnvelopeContext GoldenContext = new(
        "prod-west", "team-a", 3,
        new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));

    private static ItemRow GoldenRow() => ItemRow.Create(
        new ItemIdentity("team-a", "deployments", "team-a", "api", "apps", "v1", "Deployment", "uid-abc"),
        """{"replicas":2}"""u8);

    /// <summary>The golden file rewritten compactly in its own field order (Utf8JsonWriter keeps order; the file is ASCII).</summary>
    private static string Minify(string json)
    {
        using var document = JsonDocument.Parse(json);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.RootElement.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Export_envelope_matches_the_golden_file_byte_for_byte_apart_from_the_checksum()
    {
        var rows = new[] { GoldenRow() };
        var checksum = CanonicalRowArray.Checksum(rows);
        var buffer = new ArrayBufferWriter<byte>();
        ExportEnvelopeWriter.WriteExportEnvelope(buffer, GoldenContext, checksum, null, rows, 0, 1);

        var golden = Minify(File.ReadAllText(CanonicalJson.GoldenFile("export-envelope.json")))
            .Replace("\"PLACEHOLDER\"", $"\"{checksum}\"", StringComparison.Ordinal);
        Assert.Equal(golden, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Event_envelope_matches_the_golden_file_with_its_array_payload()
    {
        var payload = """[{"namespace":"apps","uid":"uid-1"}]"""u8;
        var buffer = new ArrayBufferWriter<byte>();
        ExportEnvelopeWriter.WriteEventEnvelope(buffer, GoldenContext, payload);
        Assert.Equal(Minify(File.ReadAllText(CanonicalJson.GoldenFile("nats-event-envelope.json"))), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Event_envelope_embeds_the_export_envelope_as_payload()
    {
        var rows = new[] { GoldenRow() };
        var checksum = CanonicalRowArray.Checksum(rows);
        var exportBuffer = new ArrayBufferWriter<byte>();
        ExportEnvelopeWriter.WriteExportEnvelope(exportBuffer, GoldenContext, checksum, null, rows, 0, 1);
        var eventBuffer = new ArrayBufferWriter<byte>();
        ExportEnvelopeWriter.WriteEventEnvelope(eventBuffer, GoldenContext, checksum, null, rows, 0, 1);

        var expected = """{"schemaVersion":"kollect.dev/v1alpha1","timestamp":"2026-01-15T12:00:00Z","cluster":"prod-west","namespace":"team-a","payload":"""
            + Encoding.UTF8.GetString(exportBuffer.WrittenSpan) + "}";
        Assert.Equal(expected, Encoding.UTF8.GetString(eventBuffer.WrittenSpan));
    }

    [Fact]
    public void Optional_fields_generation_cluster_and_part_markers()
    {
        var context = GoldenContext with { Cluster = "", Generation = 0, Namespace = "cluster" };
        var buffer = new ArrayBufferWriter<byte>();
        ExportEnvelopeWriter.WriteEventEnvelope(buffer, context, "c", new ExportEnvelopeWriter.PartMarker(2, 3), [], 0, 0);
        Assert.Equal(
            """{"schemaVersion":"kollect.dev/v1alpha1","timestamp":"2026-01-15T12:00:00Z","cluster":"","namespace":"cluster","payload":{"schemaVersion":"kollect.dev/v1alpha1","checksum":"c","partIndex":2,"partTotal":3,"itemCount":0,"exportedAt":"2026-01-15T12:00:00Z","items":[]}}""",
            Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(0, "2026-01-15T12:00:00Z")]
    [InlineData(5_000_000, "2026-01-15T12:00:00.5Z")]
    [InlineData(1_230_000, "2026-01-15T12:00:00.123Z")]
    [InlineData(1, "2026-01-15T12:00:00.0000001Z")]
    [InlineData(1_234_567, "2026-01-15T12:00:00.1234567Z")]
    public void Timestamps_trim_trailing_fraction_zeros(long ticks, string expected)
    {
        var time = new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero).AddTicks(ticks);
        Assert.Equal(expected, RfcTimestamp.Format(time));
    }

    [Fact]
    public void Timestamps_are_converted_to_utc()
    {
        Assert.Equal("2026-01-15T10:30:00Z", RfcTimestamp.Format(new DateTimeOffset(2026, 1, 15, 12, 30, 0, TimeSpan.FromHours(2))));
    }
}
