using System.Text;
using System.Text.Json.Nodes;
using Kollect.Operator.Export;
using Kollect.Operator.Pipeline;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Tests.Unit.Export;

namespace Kollect.Tests.Unit.Pipeline;

public sealed class InventoryExporterTests
{
    private readonly ExporterHarness _h = new();

    private static List<ItemRow> TwoRows()
    {
        List<ItemRow> rows = [Rows.Make("team-a", "web", """{"image":"nginx:1.27"}"""), Rows.Make("team-a", "api", """{"image":"api:<2>"}""")];
        CanonicalRowArray.Sort(rows);
        return rows;
    }

    [Fact]
    public async Task StringAndObjectRefsEachReceiveOneVerifiedMessage()
    {
        _h.AddSink("team-a", "orders");
        _h.AddSink("team-a", "audit", ",\"cluster\":\"eu-1\"");
        var inventory = ExporterHarness.Inventory("""["orders",{"name":"audit","maxExportBytes":100000}]""", generation: 3);
        var rows = TwoRows();

        var result = await _h.RunAsync(inventory, rows);

        Assert.All(result.Sinks, s => Assert.Equal(SinkExportState.Exported, s.State));
        var orders = Assert.Single(_h.Gateway.Published("team-a/orders"));
        var audit = Assert.Single(_h.Gateway.Published("team-a/audit"));
        var ordersEnvelope = ExporterHarness.Verify(orders, "prod", "team-a", "team-a/inv", 3);
        ExporterHarness.Verify(audit, "eu-1", "team-a", "team-a/inv", 3);
        Assert.Equal(2, ordersEnvelope.GetProperty("payload").GetProperty("itemCount").GetInt32());
        Assert.Equal(ordersEnvelope.GetProperty("timestamp").GetString(), ordersEnvelope.GetProperty("payload").GetProperty("exportedAt").GetString());

        var checksum = ordersEnvelope.GetProperty("payload").GetProperty("checksum").GetString();
        Assert.Equal(checksum, (string?)ExporterHarness.SinkExport(inventory, "event/orders")["lastChecksum"]);
        Assert.Equal(checksum, (string?)ExporterHarness.SinkExport(inventory, "event/audit")["lastChecksum"]);
        Assert.Equal(3L, (long)ExporterHarness.SinkExport(inventory, "event/orders")["lastGeneration"]!);
        Assert.Equal("True", (string?)ExporterHarness.SinkExport(inventory, "event/orders")["conditions"]![0]!["status"]);
        Assert.Equal(2L, (long)inventory["status"]!["itemCount"]!);
        Assert.Equal(3L, (long)inventory["status"]!["observedGeneration"]!);
        Assert.Equal("True", (string?)ExporterHarness.Condition(inventory, "Ready")["status"]);
        Assert.Equal("True", (string?)ExporterHarness.Condition(inventory, "Synced")["status"]);
        Assert.Equal("True", (string?)ExporterHarness.Condition(inventory, "SinkReachable")["status"]);
        Assert.Equal("False", (string?)ExporterHarness.Condition(inventory, "Degraded")["status"]);
        Assert.Equal(2, result.Events.Count(e => e.Type == InventoryExportEvent.Normal && e.Reason == "Exported"));
        Assert.Equal(orders.Body.Length + audit.Body.Length, _h.Metrics.Counter("kollect_export_bytes_total", "", "sink_type").Value("kafka"));
    }

    [Fact]
    public async Task ClusterInventoryWritesNamespaceClusterAndResolvesSinksInTheirNamespaces()
    {
        _h.AddSink("kollect-system", "central");
        _h.AddSink("ops", "audit");
        var inventory = ExporterHarness.ClusterInventory("""["central",{"name":"audit","namespace":"ops"}]""");

        var result = await _h.RunAsync(inventory, TwoRows());

        Assert.All(result.Sinks, s => Assert.Equal(SinkExportState.Exported, s.State));
        Assert.Contains(("kollect-system", "central"), _h.Lookups);
        Assert.Contains(("ops", "audit"), _h.Lookups);
        var message = Assert.Single(_h.Gateway.Published("kollect-system/central"));
        ExporterHarness.Verify(message, "prod", "cluster", "fleet", 1);
        ExporterHarness.Verify(Assert.Single(_h.Gateway.Published("ops/audit")), "prod", "cluster", "fleet", 1);
        Assert.NotNull(ExporterHarness.SinkExport(inventory, "event/kollect-system/central"));
        Assert.NotNull(ExporterHarness.SinkExport(inventory, "event/ops/audit"));
    }

    [Fact]
    public async Task ClusterInventorySinkNamespaceReplacesTheOperatorDefault()
    {
        _h.AddSink("sinks", "central");
        var inventory = ExporterHarness.ClusterInventory("""["central"]""", ",\"sinkNamespace\":\"sinks\"");

        var result = await _h.RunAsync(inventory, TwoRows());

        Assert.Equal(SinkExportState.Exported, Assert.Single(result.Sinks).State);
        Assert.Equal([("sinks", "central")], _h.Lookups);
    }

    [Theory]
    [InlineData("{\"name\":\"orders\",\"exportMinInterval\":\"5s\"}", ",\"exportMinInterval\":\"7s\"", ",\"exportMinInterval\":\"9s\"", 5)]
    [InlineData("\"orders\"", ",\"exportMinInterval\":\"7s\"", ",\"exportMinInterval\":\"9s\"", 7)]
    [InlineData("\"orders\"", "", ",\"exportMinInterval\":\"9s\"", 9)]
    [InlineData("\"orders\"", "", "", 30)]
    public async Task IntervalIsRefThenSinkThenInventoryThenThirtySeconds(string reference, string sinkSpec, string inventorySpec, int seconds)
    {
        _h.AddSink("team-a", "orders", sinkSpec);
        var inventory = ExporterHarness.Inventory($"[{reference}]", inventorySpec);
        var rows = TwoRows();

        var first = await _h.RunAsync(inventory, rows);
        Assert.Equal(TimeSpan.FromSeconds(seconds), first.RequeueAfter);

        _h.Time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
        var early = await _h.RunAsync(inventory, rows);
        Assert.Equal(SinkExportState.Skipped, Assert.Single(early.Sinks).State);
        Assert.Equal(TimeSpan.FromMilliseconds(1), early.RequeueAfter);

        _h.Time.Advance(TimeSpan.FromMilliseconds(1));
        var due = await _h.RunAsync(inventory, rows);
        Assert.Equal(SinkExportState.Exported, Assert.Single(due.Sinks).State);
        Assert.Equal(2, _h.Gateway.Published("team-a/orders").Count);
    }

    [Fact]
    public async Task RestartWithThePersistedStatusDoesNotRepublishUnchangedContent()
    {
        _h.AddSink("team-a", "orders");
        var inventory = ExporterHarness.Inventory("""["orders"]""");
        await _h.RunAsync(inventory, TwoRows());
        Assert.Single(_h.Gateway.Published("team-a/orders"));

        // A new process: only the stored object (with its status) survives, rows are rebuilt.
        _h.Restart();
        var stored = (JsonObject)JsonNode.Parse(inventory.ToJsonString())!;
        _h.Time.Advance(TimeSpan.FromSeconds(10));
        var result = await _h.RunAsync(stored, TwoRows());

        Assert.Single(_h.Gateway.Published("team-a/orders"));
        Assert.Equal(SinkExportState.Skipped, Assert.Single(result.Sinks).State);
        Assert.Null(result.StatusPatch);
        Assert.Empty(result.Events);
        Assert.Equal(TimeSpan.FromSeconds(20), result.RequeueAfter);
        Assert.Equal(1, _h.Metrics.Counter("kollect_export_debounced_total", "").Value());
    }

    [Fact]
    public async Task IntervalZeroNeverResendsUnchangedContentButSendsChanges()
    {
        _h.AddSink("team-a", "orders");
        var inventory = ExporterHarness.Inventory("""[{"name":"orders","exportMinInterval":"0s"}]""");
        var rows = TwoRows();
        var first = await _h.RunAsync(inventory, rows);
        Assert.Null(first.RequeueAfter);

        _h.Time.Advance(TimeSpan.FromDays(3));
        var later = await _h.RunAsync(inventory, rows);
        Assert.Equal(SinkExportState.Skipped, Assert.Single(later.Sinks).State);
        Assert.Null(later.RequeueAfter);
        Assert.Null(later.StatusPatch);
        Assert.Single(_h.Gateway.Published("team-a/orders"));

        List<ItemRow> changed = [.. rows, Rows.Make("team-a", "zeta")];
        CanonicalRowArray.Sort(changed);
        var third = await _h.RunAsync(inventory, changed);
        Assert.Equal(SinkExportState.Exported, Assert.Single(third.Sinks).State);
        Assert.Equal(2, _h.Gateway.Published("team-a/orders").Count);
    }

    [Fact]
    public async Task GenerationBumpExportsAtOnce()
    {
        _h.AddSink("team-a", "orders");
        var inventory = ExporterHarness.Inventory("""["orders"]""");
        var rows = TwoRows();
        await _h.RunAsync(inventory, rows);

        inventory["metadata"]!["generation"] = 2L;
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var result = await _h.RunAsync(inventory, rows);

        Assert.Equal(SinkExportState.Exported, Assert.Single(result.Sinks).State);
        var second = _h.Gateway.Published("team-a/orders")[1];
        ExporterHarness.Verify(second, "prod", "team-a", "team-a/inv", 2);
        Assert.Equal(2L, (long)ExporterHarness.SinkExport(inventory, "event/orders")["lastGeneration"]!);
        Assert.Equal(2L, (long)ExporterHarness.Condition(inventory, "Ready")["observedGeneration"]!);
    }

    [Fact]
    public async Task EmptyInventoryIsPublishedWithItemCountZero()
    {
        _h.AddSink("team-a", "orders");
        var inventory = ExporterHarness.Inventory("""["orders"]""");

        await _h.RunAsync(inventory, []);

        var envelope = ExporterHarness.Verify(Assert.Single(_h.Gateway.Published("team-a/orders")), "prod", "team-a", "team-a/inv", 1);
        Assert.Equal(0, envelope.GetProperty("payload").GetProperty("itemCount").GetInt32());
        Assert.Equal(0, envelope.GetProperty("payload").GetProperty("items").GetArrayLength());
        Assert.Equal(0L, (long)inventory["status"]!["itemCount"]!);
    }

    [Fact]
    public async Task OneFailingSinkDoesNotBlockTheOtherAndRecovers()
    {
        _h.AddSink("team-a", "orders");
        _h.AddSink("team-a", "audit");
        _h.Gateway.Failures["team-a/audit"] = SinkPublishOutcome.Failure(true, "SinkUnreachable", "broker b1:9092 refused the connection");
        var inventory = ExporterHarness.Inventory("""["orders","audit"]""");
        var rows = TwoRows();

        var failed = await _h.RunAsync(inventory, rows);

        Assert.Equal(SinkExportState.Exported, failed.Sinks.Single(s => s.SinkName == "orders").State);
        var audit = failed.Sinks.Single(s => s.SinkName == "audit");
        Assert.Equal(SinkExportState.Failed, audit.State);
        Assert.Equal("SinkUnreachable", audit.Reason);
        Assert.Single(_h.Gateway.Published("team-a/orders"));
        Assert.Equal("False", (string?)ExporterHarness.Condition(inventory, "Ready")["status"]);
        Assert.Equal("True", (string?)ExporterHarness.Condition(inventory, "Degraded")["status"]);
        Assert.Equal("False", (string?)ExporterHarness.Condition(inventory, "Synced")["status"]);
        Assert.Equal("False", (string?)ExporterHarness.Condition(inventory, "SinkReachable")["status"]);
        Assert.Contains("event/audit", (string?)ExporterHarness.Condition(inventory, "Degraded")["message"], StringComparison.Ordinal);
        Assert.Null(ExporterHarness.SinkExport(inventory, "event/audit")["lastChecksum"]);
        var warning = Assert.Single(failed.Events, e => e.Type == InventoryExportEvent.Warning);
        Assert.Equal("SinkUnreachable", warning.Reason);
        Assert.True(failed.Retry);
        Assert.True(audit.Retry);
        Assert.Equal(1, _h.Metrics.Counter("kollect_sink_errors_total", "", "reason").Value("SinkUnreachable"));

        // The same failure again: a retry again (the queue's count grows), the status and Events stay quiet, orders is debounced.
        _h.Time.Advance(TimeSpan.FromSeconds(2));
        var again = await _h.RunAsync(inventory, rows);
        Assert.Null(again.StatusPatch);
        Assert.Empty(again.Events);
        Assert.True(again.Retry);
        Assert.Single(_h.Gateway.Published("team-a/orders"));

        _h.Gateway.Failures.Clear();
        _h.Time.Advance(TimeSpan.FromSeconds(4));
        var recovered = await _h.RunAsync(inventory, rows);
        Assert.Equal(SinkExportState.Exported, recovered.Sinks.Single(s => s.SinkName == "audit").State);
        Assert.Equal(SinkExportState.Skipped, recovered.Sinks.Single(s => s.SinkName == "orders").State);
        Assert.Single(_h.Gateway.Published("team-a/audit"));
        Assert.Equal("True", (string?)ExporterHarness.Condition(inventory, "Ready")["status"]);
        Assert.Equal("False", (string?)ExporterHarness.Condition(inventory, "Degraded")["status"]);
        Assert.Equal("True", (string?)ExporterHarness.Condition(inventory, "SinkReachable")["status"]);
    }

    [Fact]
    public async Task SinkThatFailedItsConnectionTestBlocksOnlyItsOwnRef()
    {
        _h.AddSink("team-a", "orders");
        _h.AddSink("team-a", "down", verified: false);
        var inventory = ExporterHarness.Inventory("""["orders","down"]""");

        var result = await _h.RunAsync(inventory, TwoRows());

        Assert.Single(_h.Gateway.Published("team-a/orders"));
        Assert.Empty(_h.Gateway.Published("team-a/down"));
        var down = result.Sinks.Single(s => s.SinkName == "down");
        Assert.Equal(SinkExportState.Failed, down.State);
        Assert.Equal("SinkUnreachable", down.Reason);
        Assert.Contains("team-a/down", down.Message, StringComparison.Ordinal);
        Assert.True(down.Retry);
        var reachable = ExporterHarness.Condition(inventory, "SinkReachable");
        Assert.Equal("False", (string?)reachable["status"]);
        Assert.Equal("SinkUnreachable", (string?)reachable["reason"]);
        Assert.Equal("False", (string?)ExporterHarness.Condition(inventory, "Ready")["status"]);
        Assert.True(result.Retry);
    }

    [Fact]
    public async Task MissingSinkFailsItsRefWithSinkNotFound()
    {
        var inventory = ExporterHarness.Inventory("""["ghost"]""");

        var result = await _h.RunAsync(inventory, TwoRows());

        var ghost = Assert.Single(result.Sinks);
        Assert.Equal("SinkNotFound", ghost.Reason);
        Assert.Contains("team-a/ghost", ghost.Message, StringComparison.Ordinal);
        Assert.Equal("SinkNotFound", (string?)ExporterHarness.Condition(inventory, "SinkReachable")["reason"]);
        Assert.False(ghost.Retry);
        Assert.False(result.Retry);
        Assert.Null(result.RequeueAfter);
    }

    [Fact]
    public async Task ResolutionFailureFailsTheRefWithItsReason()
    {
        _h.AddSink("team-a", "orders", resolution: new EventSinkResolution
        {
            Sink = "team-a/orders",
            Type = "kafka",
            EndpointPolicy = EndpointPolicy.PublicOnly,
            Failure = new EventSinkResolveFailure(EventSinkResolveFailure.SecretResolveFailed, "KollectEventSink team-a/orders: spec.secretRef: Secret team-a/creds not found"),
        });
        var inventory = ExporterHarness.Inventory("""["orders"]""");

        var result = await _h.RunAsync(inventory, TwoRows());

        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, Assert.Single(result.Sinks).Reason);
        Assert.Equal(0, _h.Gateway.Count);
    }

    [Fact]
    public async Task RowTooLargeForTheLimitFailsTheRefNamingTheRow()
    {
        _h.AddSink("team-a", "orders");
        _h.AddSink("team-a", "big");
        var inventory = ExporterHarness.Inventory("""[{"name":"orders","maxExportBytes":600},"big"]""");
        List<ItemRow> rows = [Rows.Make("team-a", "huge-one", $"{{\"blob\":\"{new string('x', 2000)}\"}}"), Rows.Make("team-a", "small")];
        CanonicalRowArray.Sort(rows);

        var result = await _h.RunAsync(inventory, rows);

        var orders = result.Sinks.Single(s => s.SinkName == "orders");
        Assert.Equal(SinkExportState.Failed, orders.State);
        Assert.Equal(ExportPlan.PayloadTooLargeReason, orders.Reason);
        Assert.Contains("huge-one", orders.Message, StringComparison.Ordinal);
        Assert.Empty(_h.Gateway.Published("team-a/orders"));
        Assert.Equal(SinkExportState.Exported, result.Sinks.Single(s => s.SinkName == "big").State);
        Assert.Equal(ExportPlan.PayloadTooLargeReason, (string?)ExporterHarness.Condition(inventory, "Degraded")["reason"]);
    }

    [Fact]
    public async Task LargeInventorySplitsIntoPartsWithinTheSinkLimit()
    {
        _h.AddSink("team-a", "orders");
        _h.Gateway.Limits["team-a/orders"] = 2_000;
        var inventory = ExporterHarness.Inventory("""["orders"]""", generation: 4);
        var rows = Rows.Many(60, padding: 40);

        var result = await _h.RunAsync(inventory, rows);

        var outcome = Assert.Single(result.Sinks);
        Assert.Equal(SinkExportState.Exported, outcome.State);
        var messages = _h.Gateway.Published("team-a/orders");
        Assert.True(messages.Count > 1);
        Assert.Equal(messages.Count, outcome.Parts);
        var names = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.True(messages[i].Body.Length <= 2_000, $"part {i + 1} is {messages[i].Body.Length} bytes");
            var payload = ExporterHarness.Verify(messages[i], "prod", "team-a", "team-a/inv", 4).GetProperty("payload");
            Assert.Equal(i + 1, payload.GetProperty("partIndex").GetInt32());
            Assert.Equal(messages.Count, payload.GetProperty("partTotal").GetInt32());
            names.AddRange(payload.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("name").GetString()!));
        }
        Assert.Equal(rows.Select(r => r.Identity.Name), names);
        Assert.Equal(CanonicalRowArray.Checksum(rows), (string?)ExporterHarness.SinkExport(inventory, "event/orders")["lastChecksum"]);
    }

    [Fact]
    public async Task UnchangedInputsProduceNoPatchAndNoEvents()
    {
        _h.AddSink("team-a", "orders");
        _h.AddSink("team-a", "big");
        var inventory = ExporterHarness.Inventory("""["orders",{"name":"big","maxExportBytes":300}]""");
        List<ItemRow> rows = [Rows.Make("team-a", "huge-one", $"{{\"blob\":\"{new string('x', 400)}\"}}")];

        var first = await _h.RunAsync(inventory, rows);
        Assert.NotNull(first.StatusPatch);
        var transitions = ExporterHarness.Condition(inventory, "Ready")["lastTransitionTime"]!.ToJsonString();

        _h.Time.Advance(TimeSpan.FromSeconds(5));
        var second = await _h.RunAsync(inventory, rows);

        Assert.Null(second.StatusPatch);
        Assert.Empty(second.Events);
        Assert.Single(_h.Gateway.Published("team-a/orders"));
        Assert.Equal(transitions, ExporterHarness.Condition(inventory, "Ready")["lastTransitionTime"]!.ToJsonString());
    }

    [Fact]
    public async Task RemovedRefsLoseTheirStatusEntry()
    {
        _h.AddSink("team-a", "orders");
        _h.AddSink("team-a", "audit");
        var inventory = ExporterHarness.Inventory("""["orders","audit"]""");
        await _h.RunAsync(inventory, TwoRows());

        inventory["spec"]!["eventSinkRefs"] = new JsonArray("orders");
        inventory["metadata"]!["generation"] = 2L;
        await _h.RunAsync(inventory, TwoRows());

        Assert.Equal(["event/orders"], inventory["status"]!["sinkExports"]!.AsArray().Select(e => (string?)e!["name"]));
    }

    [Fact]
    public async Task SnapshotRefsAreReportedNotIgnored()
    {
        _h.AddSink("team-a", "orders");
        var inventory = ExporterHarness.Inventory("""["orders"]""", ",\"snapshotSinkRefs\":[{\"name\":\"s3\"}]");

        var result = await _h.RunAsync(inventory, TwoRows());

        Assert.Equal(SinkExportState.Unsupported, result.Sinks.Single(s => s.Name.Contains("s3", StringComparison.Ordinal)).State);
        var ready = ExporterHarness.Condition(inventory, "Ready");
        Assert.Equal("True", (string?)ready["status"]);
        Assert.Contains("spec.snapshotSinkRefs[0] (s3)", (string?)ready["message"], StringComparison.Ordinal);
        Assert.DoesNotContain(inventory["status"]!["sinkExports"]!.AsArray(), e => ((string?)e!["name"])!.Contains("s3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DatabaseRefsAreWrittenTrackedInSinkExportsAndDebounced()
    {
        _h.AddSink("team-a", "orders");
        _h.AddDatabaseSink("team-a", "pg", ",\"cluster\":\"db-cluster\"");
        var inventory = ExporterHarness.Inventory("""["orders"]""", ",\"databaseSinkRefs\":[\"pg\"]");
        var rows = TwoRows();

        var first = await _h.RunAsync(inventory, rows);
        var second = await _h.RunAsync(inventory, rows);

        Assert.Equal(SinkExportState.Exported, first.Sinks.Single(s => s.Name == "database/pg").State);
        var (sink, export) = Assert.Single(_h.Databases.Writes);
        Assert.Equal(("team-a/pg", "team-a", "inv", "db-cluster", 2), (sink, export.InventoryNamespace, export.InventoryName, export.Cluster, export.Rows.Count));
        Assert.Equal(_h.Time.GetUtcNow(), export.ExportedAt);
        Assert.Equal(["database/pg", "event/orders"], inventory["status"]!["sinkExports"]!.AsArray().Select(e => (string?)e!["name"]).Order(StringComparer.Ordinal));
        Assert.Equal(CanonicalRowArray.Checksum(rows), (string?)ExporterHarness.SinkExport(inventory, "database/pg")["lastChecksum"]);
        Assert.All(second.Sinks, s => Assert.Equal(SinkExportState.Skipped, s.State));
        Assert.Contains(first.Events, e => e.Reason == "Exported" && e.Note.Contains("KollectDatabaseSink team-a/pg", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailingDatabaseSinkFailsOnlyItsRef()
    {
        _h.AddSink("team-a", "orders");
        _h.AddDatabaseSink("team-a", "pg");
        _h.AddDatabaseSink("team-a", "unverified", verified: false);
        _h.Databases.Next = _ => DatabaseWriteOutcome.Failure(true, "SinkUnreachable", "PostgreSQL db:5432/inventory as kollect: cannot reach the server; retrying");
        var inventory = ExporterHarness.Inventory("""["orders"]""", ",\"databaseSinkRefs\":[\"pg\",\"unverified\",\"missing\"]");

        var result = await _h.RunAsync(inventory, TwoRows());

        Assert.Equal(SinkExportState.Exported, result.Sinks.Single(s => s.Name == "event/orders").State);
        Assert.Equal(
            [("database/missing", InventoryExporter.SinkNotFoundReason), ("database/pg", "SinkUnreachable"), ("database/unverified", InventoryExporter.SinkUnreachableReason)],
            result.Sinks.Where(s => s.State == SinkExportState.Failed).Select(s => (s.Name, s.Reason)).Order());
        Assert.Single(_h.Databases.Writes);
        Assert.Equal("False", (string?)ExporterHarness.Condition(inventory, "Ready")["status"]);
        Assert.Equal("False", (string?)ExporterHarness.Condition(inventory, "SinkReachable")["status"]);
        Assert.Contains("nothing was changed", result.Sinks.Single(s => s.Name == "database/pg").Message, StringComparison.Ordinal);
        Assert.True(result.Retry);
        Assert.False(result.Sinks.Single(s => s.Name == "database/missing").Retry);
        Assert.Contains(result.Events, e => e.Type == "Warning" && e.Reason == "SinkUnreachable");
    }

    [Fact]
    public async Task DatabaseRefsAreReportedNotWrittenWhenOnlyEnvelopesAreWritten()
    {
        var exporter = new InventoryExporter(_h.Gateway, _h.Options, time: _h.Time);
        _h.AddSink("team-a", "orders");
        var inventory = ExporterHarness.Inventory("""["orders"]""", ",\"databaseSinkRefs\":[\"pg\"]");

        var result = await exporter.ExportAsync(inventory, TwoRows(), _h.Lookup, _h.LookupDatabase, CancellationToken.None);

        var database = result.Sinks.Single(s => s.Name == "database/pg");
        Assert.Equal(SinkExportState.Unsupported, database.State);
        Assert.Contains("--output", database.Message, StringComparison.Ordinal);
        Assert.Empty(_h.Databases.Writes);
    }

    [Fact]
    public async Task SuspendedInventoryExportsNothingAndSaysSo()
    {
        _h.AddSink("team-a", "orders");
        var inventory = ExporterHarness.Inventory("""["orders"]""", ",\"suspend\":true");

        var result = await _h.RunAsync(inventory, TwoRows());

        Assert.Equal(0, _h.Gateway.Count);
        Assert.Equal(SinkExportState.Suspended, Assert.Single(result.Sinks).State);
        Assert.Null(result.RequeueAfter);
        Assert.Equal("Suspended", (string?)ExporterHarness.Condition(inventory, "Synced")["reason"]);
        Assert.Equal("False", (string?)ExporterHarness.Condition(inventory, "Ready")["status"]);
        Assert.Null((await _h.RunAsync(inventory, TwoRows())).StatusPatch);
    }

    [Fact]
    public async Task UnreadableRefFailsAloneWithItsPath()
    {
        _h.AddSink("team-a", "orders");
        var inventory = ExporterHarness.Inventory("""["orders",{"exportMinInterval":"5s"}]""");

        var result = await _h.RunAsync(inventory, TwoRows());

        var bad = result.Sinks.Single(s => s.State == SinkExportState.Failed);
        Assert.Equal(InventoryExporter.InvalidSinkRefReason, bad.Reason);
        Assert.Contains("spec.eventSinkRefs[1]", bad.Message, StringComparison.Ordinal);
        Assert.Single(_h.Gateway.Published("team-a/orders"));
        Assert.Single(result.Events, e => e.Type == InventoryExportEvent.Warning);
    }

    [Fact]
    public async Task NoSecretValueReachesMessagesStatusOrEvents()
    {
        const string Canary = "canary-pw-51c0de";
        var resolver = new EventSinkResolver(
            (ns, name) => ns == "team-a" && name == "creds"
                ? new Dictionary<string, byte[]> { ["username"] = Encoding.UTF8.GetBytes("bob"), ["password"] = Encoding.UTF8.GetBytes(Canary) }
                : null,
            new EventSinkResolverOptions { EndpointPolicy = EndpointPolicy.PublicOnly });
        var ok = _h.AddSink("team-a", "orders", ",\"secretRef\":{\"name\":\"creds\"}");
        var resolution = resolver.Resolve(ok.Sink);
        Assert.True(resolution.Succeeded, resolution.Failure?.Message);
        _h.Sinks[("team-a", "orders")] = ok with { Resolution = resolution };
        _h.AddSink("team-a", "down", ",\"secretRef\":{\"name\":\"creds\"}", verified: false, resolution: resolution with { Sink = "team-a/down" });
        var inventory = ExporterHarness.Inventory("""["orders","down"]""");

        var result = await _h.RunAsync(inventory, TwoRows());

        Assert.Single(_h.Gateway.Published("team-a/orders"));
        var seen = new StringBuilder(inventory.ToJsonString());
        foreach (var message in _h.Gateway.Published("team-a/orders"))
        {
            seen.Append(Encoding.UTF8.GetString(message.Body.Span)).Append(message.Key).Append(message.NatsMessageId);
            seen.AppendJoin(',', message.Headers.Select(h => h.Key + "=" + h.Value));
        }
        seen.AppendJoin(',', result.Events.Select(e => e.Note));
        seen.AppendJoin(',', result.Sinks.Select(s => s.Message));
        Assert.DoesNotContain(Canary, seen.ToString(), StringComparison.Ordinal);
    }
    [Fact]
    public async Task AGatewayThatThrowsFailsOnlyThatRefAndRetries()
    {
        _h.AddSink("team-a", "orders");
        _h.AddSink("team-a", "broken", resolution: new EventSinkResolution { Sink = "team-a/broken", Type = "nats", EndpointPolicy = EndpointPolicy.PublicOnly });
        _h.Gateway.Throwing.Add("team-a/broken");
        var inventory = ExporterHarness.Inventory("""["orders","broken"]""");

        var result = await _h.RunAsync(inventory, TwoRows());

        Assert.Equal(SinkExportState.Exported, result.Sinks.Single(s => s.SinkName == "orders").State);
        var broken = result.Sinks.Single(s => s.SinkName == "broken");
        Assert.Equal(InventoryExporter.ExportFailedReason, broken.Reason);
        Assert.DoesNotContain("boom-detail", broken.Message, StringComparison.Ordinal);
        Assert.True(broken.Retry);
        Assert.True(result.Retry);
    }
}
