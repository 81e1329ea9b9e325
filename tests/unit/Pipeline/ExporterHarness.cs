using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Export;
using Kollect.Operator.Observability;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Tests.Unit.Pipeline;

/// <summary>
/// An exporter wired to a <see cref="RecordingGateway"/>, an in-memory sink table and a manual
/// clock; <see cref="RunAsync"/> applies the status patch to the inventory as the API server would.
/// </summary>
internal sealed class ExporterHarness
{
    public RecordingGateway Gateway { get; } = new();
    public RecordingDatabaseGateway Databases { get; } = new();
    public Dictionary<(string Namespace, string Name), DatabaseSinkState> DatabaseSinks { get; } = [];
    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
    public Dictionary<(string Namespace, string Name), SinkState> Sinks { get; } = [];
    public List<(string Namespace, string Name)> Lookups { get; } = [];
    public MetricsRegistry Metrics { get; } = new();
    public InventoryExportOptions Options { get; set; } = new() { ClusterName = "prod" };
    public InventoryExporter Exporter { get; private set; }

    public ExporterHarness() => Exporter = NewExporter();

    /// <summary>A fresh exporter, as after an operator restart: nothing in memory, the status is all that is left.</summary>
    public InventoryExporter Restart() => Exporter = NewExporter();

    private InventoryExporter NewExporter() => new(Gateway, Options, Metrics, Time, Databases);

    /// <summary>An exporter as the operator builds it: with reliability settings and a lease check.</summary>
    public InventoryExporter Reliable(SinkReliabilityOptions reliability, Func<bool>? mayPublish = null) =>
        Exporter = new(Gateway, Options, Metrics, Time, Databases, reliability, mayPublish);

    /// <summary>As <see cref="RunAsync"/>, with every ref in its own lane as the operator runs them.</summary>
    public async Task<InventoryExportResult> RunInLanesAsync(JsonObject inventory, IReadOnlyList<ItemRow> rows, SinkRefLanes lanes, Action requeue)
    {
        var result = await Exporter.ExportAsync(inventory, rows, Lookup, LookupDatabase, CancellationToken.None, lanes, requeue);
        if (result.StatusPatch is { } patch)
        {
            ApplyStatusPatch(inventory, patch);
        }
        return result;
    }

    /// <summary>A postgres database sink; <paramref name="spec"/> is extra JSON of its spec.</summary>
    public DatabaseSinkState AddDatabaseSink(string ns, string name, string spec = "", bool? verified = true, EventSinkResolveFailure? failure = null)
    {
        var sink = JsonSerializer.Deserialize(
            $$$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectDatabaseSink","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"spec":{"type":"postgres","postgres":{"databaseRef":{"name":"db"},"table":"items"}{{{spec}}}}}""",
            Kollect.Operator.Json.KollectJsonContext.Default.KollectDatabaseSink)!;
        var state = new DatabaseSinkState(sink, new DatabaseSinkResolution { Sink = $"{ns}/{name}", Type = "postgres", Failure = failure }, verified,
            verified == false ? "password authentication failed" : null);
        DatabaseSinks[(ns, name)] = state;
        return state;
    }

    public Task<DatabaseSinkState?> LookupDatabase(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult(DatabaseSinks.TryGetValue((ns, name), out var state) ? state : null);

    public SinkState AddSink(string ns, string name, string extraSpec = "", bool? verified = true, EventSinkResolution? resolution = null)
    {
        var sink = (JsonObject)JsonNode.Parse(
            $$$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectEventSink","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"spec":{"type":"kafka","kafka":{"brokers":["b1:9092"],"topic":"inv"}{{{extraSpec}}}}}""")!;
        var state = new SinkState(Kollect.Operator.Json.KollectModels.EventSink(sink)!, resolution ?? new EventSinkResolution { Sink = $"{ns}/{name}", Type = "kafka", EndpointPolicy = EndpointPolicy.PublicOnly },
            verified, verified == false ? "broker b1:9092 did not answer" : null);
        Sinks[(ns, name)] = state;
        return state;
    }

    public Task<SinkState?> Lookup(string ns, string name, CancellationToken cancellationToken)
    {
        lock (Lookups)
        {
            Lookups.Add((ns, name));
        }
        return Task.FromResult(Sinks.TryGetValue((ns, name), out var state) ? state : null);
    }

    public async Task<InventoryExportResult> RunAsync(JsonObject inventory, IReadOnlyList<ItemRow> rows)
    {
        var result = await Exporter.ExportAsync(inventory, rows, Lookup, LookupDatabase, CancellationToken.None);
        if (result.StatusPatch is { } patch)
        {
            ApplyStatusPatch(inventory, patch);
        }
        return result;
    }

    // The exporter's patch replaces whole top-level status fields ({"status":{field: value}}), which
    // is all a merge patch does with them on the API server (arrays are replaced, not merged).
    private static void ApplyStatusPatch(JsonObject inventory, JsonObject patch)
    {
        Assert.Equal(["status"], patch.Select(p => p.Key));
        if (inventory["status"] is not JsonObject status)
        {
            status = [];
            inventory["status"] = status;
        }
        foreach (var (key, value) in patch["status"]!.AsObject())
        {
            Assert.NotNull(value);
            status[key] = value.DeepClone();
        }
    }

    public static JsonObject Inventory(string refs, string extraSpec = "", long generation = 1) =>
        (JsonObject)JsonNode.Parse(
            $$$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectInventory","metadata":{"name":"inv","namespace":"team-a","generation":{{{generation}}}},"spec":{"eventSinkRefs":{{{refs}}}{{{extraSpec}}}}}""")!;

    public static JsonObject ClusterInventory(string refs, string extraSpec = "", long generation = 1) =>
        (JsonObject)JsonNode.Parse(
            $$$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectClusterInventory","metadata":{"name":"fleet","generation":{{{generation}}}},"spec":{"namespaceSelector":{"matchLabels":{"a":"b"}},"eventSinkRefs":{{{refs}}}{{{extraSpec}}}}}""")!;

    public static JsonObject Condition(JsonObject inventory, string type) =>
        inventory["status"]!["conditions"]!.AsArray().OfType<JsonObject>().Single(c => (string?)c["type"] == type);

    public static JsonObject SinkExport(JsonObject inventory, string name) =>
        inventory["status"]!["sinkExports"]!.AsArray().OfType<JsonObject>().Single(e => (string?)e["name"] == name);

    /// <summary>
    /// Checks one received message against SPEC §4–§6 independently of the exporter: the payload
    /// checksum recomputed over the items bytes, the headers, the Kafka key and the Nats-Msg-Id.
    /// Returns the parsed event envelope.
    /// </summary>
    public static JsonElement Verify(SinkMessage message, string cluster, string envelopeNamespace, string inventoryHeader, long generation)
    {
        var body = message.Body.ToArray();
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement.Clone();
        Assert.Equal(cluster, root.GetProperty("cluster").GetString());
        Assert.Equal(envelopeNamespace, root.GetProperty("namespace").GetString());
        var payload = root.GetProperty("payload");
        var items = payload.GetProperty("items");
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(items.GetRawText())));
        Assert.Equal(checksum, payload.GetProperty("checksum").GetString());
        Assert.Equal(items.GetArrayLength(), payload.GetProperty("itemCount").GetInt32());
        if (generation != 0)
        {
            Assert.Equal(generation, payload.GetProperty("generation").GetInt64());
        }

        var headers = message.Headers.ToDictionary(h => h.Key, h => h.Value);
        Assert.Equal(
            ["kollect-inventory", "kollect-checksum", "kollect-generation", "kollect-part", "content-type"],
            message.Headers.Select(h => h.Key));
        Assert.Equal(inventoryHeader, headers["kollect-inventory"]);
        Assert.Equal(checksum, headers["kollect-checksum"]);
        Assert.Equal(generation.ToString(System.Globalization.CultureInfo.InvariantCulture), headers["kollect-generation"]);
        var part = payload.TryGetProperty("partIndex", out var index) ? $"{index.GetInt32()}/{payload.GetProperty("partTotal").GetInt32()}" : "1/1";
        Assert.Equal(part, headers["kollect-part"]);
        Assert.Equal("application/json", headers["content-type"]);

        Assert.Equal($"{cluster}/{envelopeNamespace}", message.Key);
        // Nats-Msg-Id hashes the export envelope, the payload field's bytes (SPEC §6.2).
        var idInput = Encoding.UTF8.GetBytes($"{cluster}/{envelopeNamespace}/").Concat(Encoding.UTF8.GetBytes(payload.GetRawText())).ToArray();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(idInput)), message.NatsMessageId);
        return root;
    }
}
