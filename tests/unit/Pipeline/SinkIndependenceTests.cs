using Kollect.Operator.Export;
using Kollect.Operator.Pipeline;
using Kollect.Tests.Unit.Export;

namespace Kollect.Tests.Unit.Pipeline;

/// <summary>Issue #13: one ref's broker never holds up another ref; the exporter's own timeout, circuit and lease check.</summary>
public sealed class SinkIndependenceTests
{
    private readonly ExporterHarness _h = new();

    private static List<ItemRow> Rows(string image)
    {
        List<ItemRow> rows = [Export.Rows.Make("team-a", "web", $$"""{"image":"{{image}}"}""")];
        CanonicalRowArray.Sort(rows);
        return rows;
    }

    [Fact]
    public async Task ABlockedRefGoesOnInItsLaneWhileTheOtherRefExportsEveryChange()
    {
        _h.AddSink("team-a", "stuck");
        _h.AddSink("team-a", "fast");
        // The window runs on real timers; a second keeps the fast ref's in-memory export inside it even on a loaded machine.
        _h.Reliable(new SinkReliabilityOptions { JoinWindow = TimeSpan.FromSeconds(1) });
        var gate = new TaskCompletionSource();
        _h.Gateway.Blocked["team-a/stuck"] = gate;
        var lanes = new SinkRefLanes();
        var requeued = new TaskCompletionSource();
        var inventory = ExporterHarness.Inventory("""["stuck","fast"]""");

        var first = await _h.RunInLanesAsync(inventory, Rows("v1"), lanes, () => requeued.TrySetResult());
        Assert.Equal(SinkExportState.Exported, first.Sinks.Single(s => s.Name == "event/fast").State);
        var stuck = first.Sinks.Single(s => s.Name == "event/stuck");
        Assert.Equal(SinkExportState.Failed, stuck.State);
        Assert.Equal(InventoryExporter.ExportInFlightReason, stuck.Reason);
        Assert.True(lanes.IsBusy("KollectInventory/team-a/inv|event/stuck"));

        // Two more changes while the broker still hangs: the fast ref gets both, the stuck one is not re-entered.
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await _h.RunInLanesAsync(inventory, Rows("v2"), lanes, () => requeued.TrySetResult());
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var third = await _h.RunInLanesAsync(inventory, Rows("v3"), lanes, () => requeued.TrySetResult());
        Assert.Equal(3, _h.Gateway.Published("team-a/fast").Count);
        Assert.Equal(1, _h.Gateway.Attempts["team-a/stuck"]);
        Assert.Equal(InventoryExporter.ExportInFlightReason, third.Sinks.Single(s => s.Name == "event/stuck").Reason);
        Assert.False(requeued.Task.IsCompleted);

        // The broker answers: the lane asks for a reconcile, which records the v1 export and re-decides at once.
        gate.SetResult();
        await requeued.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var fourth = await _h.RunInLanesAsync(inventory, Rows("v3"), lanes, () => { });
        var recorded = fourth.Sinks.Single(s => s.Name == "event/stuck");
        Assert.Equal(SinkExportState.Exported, recorded.State);
        Assert.Equal(TimeSpan.Zero, fourth.RequeueAfter);
        var v1 = ExporterHarness.Verify(Assert.Single(_h.Gateway.Published("team-a/stuck")), "prod", "team-a", "team-a/inv", 1);
        Assert.Equal(v1.GetProperty("payload").GetProperty("checksum").GetString(), (string?)ExporterHarness.SinkExport(inventory, "event/stuck")["lastChecksum"]);

        // The next reconcile sends the current content (v3) to the stuck ref, and nothing again to the fast one.
        _h.Gateway.Blocked.Clear();
        var fifth = await _h.RunInLanesAsync(inventory, Rows("v3"), lanes, () => { });
        Assert.Equal(SinkExportState.Exported, fifth.Sinks.Single(s => s.Name == "event/stuck").State);
        Assert.Equal(SinkExportState.Skipped, fifth.Sinks.Single(s => s.Name == "event/fast").State);
        Assert.Equal(2, _h.Gateway.Published("team-a/stuck").Count);
        Assert.Equal(3, _h.Gateway.Published("team-a/fast").Count);
        Assert.Equal(0, lanes.Count);
    }

    [Fact]
    public async Task APublishThatNeverAnswersTimesOutThenTheCircuitFailsFastWithoutTouchingTheBroker()
    {
        _h.AddSink("team-a", "dead");
        _h.AddSink("team-a", "fine");
        _h.Reliable(new SinkReliabilityOptions { PublishTimeout = TimeSpan.FromMilliseconds(50), CircuitFailures = 2, CircuitCooldown = TimeSpan.FromSeconds(30) });
        _h.Gateway.Blocked["team-a/dead"] = new TaskCompletionSource();
        var inventory = ExporterHarness.Inventory("""["dead","fine"]""");

        for (var i = 0; i < 2; i++)
        {
            var result = await _h.RunAsync(inventory, Rows($"v{i}"));
            var dead = result.Sinks.Single(s => s.Name == "event/dead");
            Assert.Equal(InventoryExporter.PublishTimeoutReason, dead.Reason);
            Assert.Contains("--sink-publish-timeout", dead.Message, StringComparison.Ordinal);
            Assert.True(dead.Retry);
            _h.Time.Advance(TimeSpan.FromSeconds(1));
        }
        var open = await _h.RunAsync(inventory, Rows("v9"));
        var failingFast = open.Sinks.Single(s => s.Name == "event/dead");
        Assert.Equal(InventoryExporter.CircuitOpenReason, failingFast.Reason);
        Assert.Equal(2, _h.Gateway.Attempts["team-a/dead"]);
        Assert.Equal(3, _h.Gateway.Published("team-a/fine").Count);
        Assert.Equal(1, _h.Metrics.Gauge("kollect_sink_circuit_state", "", "sink").Value("KollectEventSink/team-a/dead"));
        Assert.Equal(0, _h.Metrics.Gauge("kollect_sink_circuit_state", "", "sink").Value("KollectEventSink/team-a/fine"));
    }

    [Fact]
    public async Task NothingIsPublishedOnceTheLeaseMayBeGone()
    {
        _h.AddSink("team-a", "orders");
        var holds = true;
        _h.Reliable(new SinkReliabilityOptions(), () => holds);
        var inventory = ExporterHarness.Inventory("""["orders"]""");
        await _h.RunAsync(inventory, Rows("v1"));
        Assert.Single(_h.Gateway.Published("team-a/orders"));

        holds = false;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _h.RunAsync(inventory, Rows("v2")));
        Assert.Single(_h.Gateway.Published("team-a/orders"));
        Assert.Equal(1, _h.Gateway.Attempts["team-a/orders"]);
    }
}
