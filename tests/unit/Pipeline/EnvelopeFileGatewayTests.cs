using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Export;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Tests.Unit.Export;

namespace Kollect.Tests.Unit.Pipeline;

public sealed class EnvelopeFileGatewayTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kollect-envelopes-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static SinkState Sink(string ns, string name) =>
        new(Kollect.Operator.Json.KollectModels.EventSink(JsonNode.Parse($$$"""{"kind":"KollectEventSink","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"spec":{"type":"nats"}}"""))!,
            new EventSinkResolution { Sink = $"{ns}/{name}", Type = "nats", EndpointPolicy = EndpointPolicy.PublicOnly }, null, null);

    private static Task<SinkState?> Lookup(string ns, string name, CancellationToken cancellationToken) => Task.FromResult<SinkState?>(Sink(ns, name));

    private static JsonObject Inventory(string refs, long maxExportBytes = 1_000_000) =>
        (JsonObject)JsonNode.Parse(
            $$$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectInventory","metadata":{"name":"inv","namespace":"team-a","generation":2},"spec":{"eventSinkRefs":{{{refs}}},"maxExportBytes":{{{maxExportBytes}}}}}""")!;

    [Fact]
    public async Task DirectoryHoldsOneBodyAndOneHeaderSidecarPerPart()
    {
        var gateway = EnvelopeFileGateway.ToDirectory(_root);
        var exporter = new InventoryExporter(gateway, new InventoryExportOptions { ClusterName = "dev" }, time: _time);

        var result = await exporter.ExportAsync(Inventory("""["orders"]"""), Rows.Many(3), Lookup, null, CancellationToken.None);

        Assert.Equal(SinkExportState.Exported, Assert.Single(result.Sinks).State);
        var body = Path.Combine(_root, "team-a", "inv", "team-a_orders_1-of-1.json");
        var envelope = ExporterHarness.Verify(
            new SinkMessage("dev/team-a", Headers(Path.ChangeExtension(body, ".headers.json")), File.ReadAllBytes(body), NatsId(Path.ChangeExtension(body, ".headers.json"))),
            "dev", "team-a", "team-a/inv", 2);
        Assert.Equal(3, envelope.GetProperty("payload").GetProperty("itemCount").GetInt32());
        Assert.Equal("dev/team-a", Sidecar(Path.ChangeExtension(body, ".headers.json")).GetProperty("key").GetString());
        Assert.Equal(["team-a_orders_1-of-1.headers.json", "team-a_orders_1-of-1.json"], Files());
    }

    [Fact]
    public async Task ANewExportReplacesTheFilesOfTheLastOneForThatSinkOnly()
    {
        var gateway = EnvelopeFileGateway.ToDirectory(_root);
        var exporter = new InventoryExporter(gateway, new InventoryExportOptions(), time: _time);
        var rows = Rows.Many(40, padding: 40);
        await exporter.ExportAsync(Inventory("""["orders","orders.eu"]""", maxExportBytes: 1_500), rows, Lookup, null, CancellationToken.None);
        var multipart = Files();
        Assert.Contains(multipart, f => f.StartsWith("team-a_orders_2-of-", StringComparison.Ordinal));
        Assert.Contains(multipart, f => f.StartsWith("team-a_orders.eu_2-of-", StringComparison.Ordinal));

        await exporter.ExportAsync(Inventory("""["orders"]"""), rows, Lookup, null, CancellationToken.None);

        Assert.Equal(
            multipart.Where(f => f.StartsWith("team-a_orders.eu_", StringComparison.Ordinal))
                .Concat(["team-a_orders_1-of-1.headers.json", "team-a_orders_1-of-1.json"])
                .Order(StringComparer.Ordinal),
            Files());
    }

    [Fact]
    public async Task StreamGetsOneEnvelopePerLine()
    {
        using var stream = new MemoryStream();
        var exporter = new InventoryExporter(EnvelopeFileGateway.ToStream(stream), new InventoryExportOptions(), time: _time);

        await exporter.ExportAsync(Inventory("""["orders","audit"]"""), Rows.Many(2), Lookup, null, CancellationToken.None);

        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.Equal(2, lines.Length - 1);
        Assert.All(lines[..^1], line => Assert.Equal(2, JsonDocument.Parse(line).RootElement.GetProperty("payload").GetProperty("itemCount").GetInt32()));
    }

    [Fact]
    public async Task NoLimitAndAVerifiedProbe()
    {
        var gateway = EnvelopeFileGateway.ToDirectory(_root);
        var sink = Sink("team-a", "orders").Resolution;

        Assert.Null(await gateway.MessageLimitAsync(sink, CancellationToken.None));
        Assert.True((await gateway.ProbeAsync(sink, CancellationToken.None)).Verified);
    }

    private List<string> Files() =>
        Directory.EnumerateFiles(Path.Combine(_root, "team-a", "inv")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;

    private static JsonElement Sidecar(string path) => JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.Clone();

    private static List<KeyValuePair<string, string>> Headers(string path) =>
        Sidecar(path).GetProperty("headers").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();

    private static string NatsId(string path) => Sidecar(path).GetProperty("natsMessageId").GetString()!;
}
