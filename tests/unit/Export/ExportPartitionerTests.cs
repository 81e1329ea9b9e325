using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

public sealed class ExportPartitionerTests
{
    private static readonly EnvelopeContext Context = new(
        "prod", "team-a", 7,
        new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero).AddTicks(1_230_000),
        new DateTimeOffset(2026, 1, 15, 12, 0, 1, TimeSpan.Zero));

    // The event envelope around the export envelope of Context: {"schemaVersion":…,"timestamp":…,"cluster":"prod","namespace":"team-a","payload":…}.
    private const int EventOverhead = 124;

    /// <summary>The size of the export envelope (the payload) of a single-part export of <paramref name="rows"/>.</summary>
    private static int SinglePartSize(IReadOnlyList<ItemRow> rows) =>
        ExportPartitioner.Plan(rows, Context, long.MaxValue).Parts.Single().ExportEnvelope.Length;

    /// <summary>Checks every invariant SPEC §4 states for a successful multipart plan; <paramref name="limit"/> bounds each export envelope.</summary>
    private static void AssertValidSplit(IReadOnlyList<ItemRow> rows, ExportPlan plan, long limit)
    {
        Assert.True(plan.Succeeded, plan.Failure);
        Assert.True(plan.Parts.Count > 1);
        var seen = new List<string>();
        for (var i = 0; i < plan.Parts.Count; i++)
        {
            var part = plan.Parts[i];
            Assert.True(part.ExportEnvelope.Length <= limit, $"part {i + 1} has a {part.ExportEnvelope.Length}-byte export envelope, limit {limit}");
            Assert.Equal(part.ExportEnvelope.Length + EventOverhead, part.Message.Length);
            using var document = JsonDocument.Parse(part.Message);
            var payload = document.RootElement.GetProperty("payload");
            Assert.Equal(Encoding.UTF8.GetString(part.ExportEnvelope.Span), payload.GetRawText());
            Assert.Equal(i + 1, payload.GetProperty("partIndex").GetInt32());
            Assert.Equal(plan.Parts.Count, payload.GetProperty("partTotal").GetInt32());
            Assert.Equal(7, payload.GetProperty("generation").GetInt64());
            Assert.Equal(part.ItemCount, payload.GetProperty("itemCount").GetInt32());
            var items = payload.GetProperty("items");
            Assert.Equal(part.ItemCount, items.GetArrayLength());
            var itemsText = Encoding.UTF8.GetString(JsonMarshalRaw(items));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(itemsText))), part.Checksum);
            Assert.Equal(part.Checksum, payload.GetProperty("checksum").GetString());
            seen.AddRange(items.EnumerateArray().Select(item => item.GetRawText()));
            if (i + 1 < plan.Parts.Count)
            {
                // Greedy: the next part's first row would not have fitted here.
                var next = rows[seen.Count];
                Assert.True(part.ExportEnvelope.Length + 1 + next.JsonLength > limit, $"part {i + 1} could have taken one more row");
            }
        }
        Assert.Equal(rows.Select(r => r.ToString()), seen);
        Assert.Equal(CanonicalRowArray.Checksum(rows), plan.ContentChecksum);
    }

    private static ReadOnlySpan<byte> JsonMarshalRaw(JsonElement element) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);

    [Fact]
    public void Empty_inventory_is_one_part_with_no_items()
    {
        var plan = ExportPartitioner.Plan([], Context, ExportLimits.DefaultOperatorCap);
        var part = Assert.Single(plan.Parts);
        Assert.Equal(0, part.ItemCount);
        Assert.Equal("4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945", part.Checksum);
        Assert.Equal(
            """{"schemaVersion":"kollect.dev/v1alpha1","timestamp":"2026-01-15T12:00:01Z","cluster":"prod","namespace":"team-a","payload":{"schemaVersion":"kollect.dev/v1alpha1","checksum":"4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945","generation":7,"itemCount":0,"exportedAt":"2026-01-15T12:00:00.123Z","cluster":"prod","items":[]}}""",
            Encoding.UTF8.GetString(part.Message));
    }

    [Fact]
    public void Everything_that_fits_exactly_is_one_part_without_markers()
    {
        var rows = Rows.Many(5);
        var size = SinglePartSize(rows);
        var plan = ExportPartitioner.Plan(rows, Context, size);
        var part = Assert.Single(plan.Parts);
        Assert.Equal(size, part.ExportEnvelope.Length);
        Assert.Equal(size + EventOverhead, part.Message.Length);
        Assert.Equal((1, 1, 5), (part.Index, part.Total, part.ItemCount));
        Assert.DoesNotContain("partIndex", Encoding.UTF8.GetString(part.Message), StringComparison.Ordinal);
        Assert.Equal(plan.ContentChecksum, part.Checksum);
    }

    [Fact]
    public void One_byte_over_splits_into_parts_with_markers()
    {
        var rows = Rows.Many(5);
        var limit = SinglePartSize(rows) - 1;
        var plan = ExportPartitioner.Plan(rows, Context, limit);
        AssertValidSplit(rows, plan, limit);
        Assert.Equal(2, plan.Parts.Count);
    }

    [Fact]
    public void A_part_may_reach_the_limit_to_the_byte()
    {
        var rows = Rows.Many(6);
        // Find the size of a two-row first part by splitting with a generous limit, then use it.
        var twoRows = SinglePartSize(rows.Take(2).ToList());
        var markersOverhead = ",\"partIndex\":1,\"partTotal\":3".Length;
        var limit = twoRows + markersOverhead;
        var plan = ExportPartitioner.Plan(rows, Context, limit);
        AssertValidSplit(rows, plan, limit);
        Assert.Equal(3, plan.Parts.Count);
        Assert.All(plan.Parts, part => Assert.Equal(limit, part.ExportEnvelope.Length));
    }

    [Fact]
    public void A_limit_the_original_meets_exactly_is_one_part()
    {
        // maxExportBytes limits the export envelope only (issue #12): an export whose payload is
        // exactly maxExportBytes bytes is one message, although the message itself is larger.
        var rows = new List<ItemRow> { Rows.Make("team-a", "api", """{"replicas":3}"""), Rows.Make("team-a", "web", """{"replicas":1}""") };
        var exportEnvelope = """{"schemaVersion":"kollect.dev/v1alpha1","checksum":"CHECKSUM","generation":7,"itemCount":2,"exportedAt":"2026-01-15T12:00:00.123Z","cluster":"prod","items":ITEMS}"""
            .Replace("CHECKSUM", CanonicalRowArray.Checksum(rows), StringComparison.Ordinal)
            .Replace("ITEMS", $"[{rows[0]},{rows[1]}]", StringComparison.Ordinal);
        Assert.Equal(582, Encoding.UTF8.GetByteCount(exportEnvelope));

        var exact = Assert.Single(ExportPartitioner.Plan(rows, Context, 582).Parts);
        Assert.Equal(exportEnvelope, Encoding.UTF8.GetString(exact.ExportEnvelope.Span));
        Assert.Equal(
            """{"schemaVersion":"kollect.dev/v1alpha1","timestamp":"2026-01-15T12:00:01Z","cluster":"prod","namespace":"team-a","payload":""" + exportEnvelope + "}",
            Encoding.UTF8.GetString(exact.Message));
        Assert.Equal(582 + EventOverhead, exact.Message.Length);
        Assert.Equal(2, ExportPartitioner.Plan(rows, Context, 581).Parts.Count);
    }

    [Fact]
    public void The_event_envelope_is_charged_to_the_sinks_message_limit_to_the_byte()
    {
        var rows = new List<ItemRow> { Rows.Make("team-a", "api", """{"replicas":3}"""), Rows.Make("team-a", "web", """{"replicas":1}""") };
        var fits = ExportPartitioner.Plan(rows, Context, 582, messageLimitBytes: 582 + EventOverhead);
        Assert.Equal(582 + EventOverhead, Assert.Single(fits.Parts).Message.Length);

        var split = ExportPartitioner.Plan(rows, Context, 582, messageLimitBytes: 582 + EventOverhead - 1);
        Assert.Equal(2, split.Parts.Count);
        Assert.All(split.Parts, p => Assert.True(p.Message.Length <= 582 + EventOverhead - 1));
    }

    [Fact]
    public void A_sink_limit_below_max_export_bytes_bounds_every_message()
    {
        var rows = Rows.Many(250, padding: 40);
        foreach (var sinkLimit in new long[] { 1000, 1500, 3333 })
        {
            var plan = ExportPartitioner.Plan(rows, Context, ExportLimits.DefaultOperatorCap, sinkLimit);
            AssertValidSplit(rows, plan, sinkLimit - EventOverhead);
            Assert.All(plan.Parts, p => Assert.True(p.Message.Length <= sinkLimit, $"{p.Message.Length} > {sinkLimit}"));
        }
    }

    [Fact]
    public void Ten_or_more_parts_account_for_the_longer_part_numbers()
    {
        var rows = Rows.Many(250, padding: 40);
        foreach (var limit in new long[] { 900, 1000, 1500, 2000, 3333 })
        {
            var plan = ExportPartitioner.Plan(rows, Context, limit);
            AssertValidSplit(rows, plan, limit);
        }
        Assert.True(ExportPartitioner.Plan(rows, Context, 900).Parts.Count >= 100);
    }

    [Fact]
    public void A_row_that_cannot_fit_alone_fails_with_payload_too_large_naming_the_row()
    {
        var rows = new List<ItemRow>
        {
            Rows.Make("team-a", "small", "{}"),
            Rows.Make("team-a", "big", $"{{\"blob\":\"{new string('x', 5000)}\"}}", uid: "uid-big"),
        };
        CanonicalRowArray.Sort(rows);
        var plan = ExportPartitioner.Plan(rows, Context, 2000);
        Assert.False(plan.Succeeded);
        Assert.Empty(plan.Parts);
        var big = rows.Single(r => r.Identity.Name == "big");
        Assert.Contains("team-a/big", plan.Failure, StringComparison.Ordinal);
        Assert.Contains("Deployment", plan.Failure, StringComparison.Ordinal);
        Assert.Contains("uid-big", plan.Failure, StringComparison.Ordinal);
        Assert.Contains($"is {big.JsonLength} bytes", plan.Failure, StringComparison.Ordinal);
        Assert.Contains("more than maxExportBytes of 2000 bytes", plan.Failure, StringComparison.Ordinal);
        Assert.Equal("PayloadTooLarge", ExportPlan.PayloadTooLargeReason);

        var bySink = ExportPartitioner.Plan(rows, Context, 1_000_000, messageLimitBytes: 2000);
        Assert.False(bySink.Succeeded);
        Assert.Contains($"more than the sink's message limit of 2000 bytes (the event envelope adds {EventOverhead} bytes", bySink.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_limit_below_the_empty_envelope_fails()
    {
        var plan = ExportPartitioner.Plan([], Context, 10);
        Assert.False(plan.Succeeded);
        Assert.Contains("empty export envelope", plan.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_out_of_canonical_order_are_rejected()
    {
        var rows = Rows.Many(3);
        rows.Reverse();
        Assert.Throws<ArgumentException>(() => ExportPartitioner.Plan(rows, Context, 10_000));
    }

    [Theory]
    [InlineData(null, null, 1_572_864L, 1_572_864L)]
    [InlineData(null, 500_000L, 1_572_864L, 500_000L)]
    [InlineData(100_000L, 500_000L, 1_572_864L, 100_000L)]
    [InlineData(100_000L, null, 1_572_864L, 100_000L)]
    public void Max_export_bytes_resolution(long? refMax, long? inventoryMax, long cap, long expected) =>
        Assert.Equal(expected, ExportLimits.ResolveMaxExportBytes(refMax, inventoryMax, cap));

    [Fact]
    public void Interval_resolution_prefers_ref_then_sink_then_inventory_then_30s()
    {
        var a = TimeSpan.FromSeconds(1);
        var b = TimeSpan.FromSeconds(2);
        var c = TimeSpan.FromSeconds(3);
        Assert.Equal(a, ExportLimits.ResolveInterval(a, b, c));
        Assert.Equal(b, ExportLimits.ResolveInterval(null, b, c));
        Assert.Equal(c, ExportLimits.ResolveInterval(null, null, c));
        Assert.Equal(TimeSpan.FromSeconds(30), ExportLimits.ResolveInterval(null, null, null));
        Assert.Equal(TimeSpan.Zero, ExportLimits.ResolveInterval(TimeSpan.Zero, b, c));
    }
}
