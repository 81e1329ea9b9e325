using Kollect.Operator.Observability;

namespace Kollect.Tests.Unit.Runtime;

public sealed class MetricsRegistryTests
{
    [Fact]
    public void Renders_prometheus_text_with_sorted_families_and_escaped_labels()
    {
        var registry = new MetricsRegistry();
        var reconciles = registry.Counter("kollect_reconcile_total", "Reconciles.", "controller", "result");
        reconciles.Inc("sinks", "success");
        reconciles.Inc("sinks", "success");
        reconciles.Inc("a\"b\\c\nd", "error");
        registry.Gauge("kollect_leader", "Leader.").Set(1);
        var text = registry.Render();
        Assert.Equal(
            "# HELP kollect_leader Leader.\n# TYPE kollect_leader gauge\nkollect_leader 1\n" +
            "# HELP kollect_reconcile_total Reconciles.\n# TYPE kollect_reconcile_total counter\n" +
            "kollect_reconcile_total{controller=\"a\\\"b\\\\c\\nd\",result=\"error\"} 1\n" +
            "kollect_reconcile_total{controller=\"sinks\",result=\"success\"} 2\n",
            text);
    }

    [Fact]
    public void Histogram_has_cumulative_buckets_sum_and_count()
    {
        var registry = new MetricsRegistry();
        var histogram = registry.Histogram("kollect_export_duration_seconds", "Export time.", [0.1, 1], "sink_type");
        histogram.Observe(0.05, "kafka");
        histogram.Observe(0.5, "kafka");
        histogram.Observe(3, "kafka");
        var text = registry.Render();
        Assert.Contains("kollect_export_duration_seconds_bucket{sink_type=\"kafka\",le=\"0.1\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("kollect_export_duration_seconds_bucket{sink_type=\"kafka\",le=\"1\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("kollect_export_duration_seconds_bucket{sink_type=\"kafka\",le=\"+Inf\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("kollect_export_duration_seconds_sum{sink_type=\"kafka\"} 3.55\n", text, StringComparison.Ordinal);
        Assert.Contains("kollect_export_duration_seconds_count{sink_type=\"kafka\"} 3\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_name_returns_the_same_metric_and_wrong_label_count_is_refused()
    {
        var registry = new MetricsRegistry();
        Assert.Same(registry.Counter("c", "h", "l"), registry.Counter("c", "h", "l"));
        Assert.Throws<InvalidOperationException>(() => registry.Gauge("c", "h"));
        Assert.Throws<ArgumentException>(() => registry.Counter("c", "h", "l").Inc("a", "b"));
    }

    [Theory]
    [InlineData(":8080", "0.0.0.0:8080")]
    [InlineData("127.0.0.1:9", "127.0.0.1:9")]
    [InlineData("[::1]:8081", "[::1]:8081")]
    public void Bind_addresses_parse_like_controller_runtime(string text, string expected) =>
        Assert.Equal(expected, ProbeServer.ParseBindAddress(text)!.ToString());

    [Fact]
    public void Bind_address_zero_disables_and_garbage_is_refused()
    {
        Assert.Null(ProbeServer.ParseBindAddress("0"));
        Assert.Throws<ArgumentException>(() => ProbeServer.ParseBindAddress("eight"));
    }

    [Fact]
    public void Runtime_metrics_report_resident_memory_and_the_gc_heap_with_live_below_committed()
    {
        var registry = new MetricsRegistry();
        RuntimeMetrics.Register(registry);
        var keep = new byte[4 << 20];
        GC.Collect();
        GC.KeepAlive(keep);
        var heap = registry.Gauge("kollect_gc_heap_bytes", "", "kind");
        Assert.True(heap.Value("live") >= 4 << 20, $"live {heap.Value("live")}");
        Assert.True(heap.Value("committed") >= heap.Value("live"));
        Assert.True(heap.Value("fragmented") >= 0);
        Assert.True(registry.Gauge("process_resident_memory_bytes", "").Value() > heap.Value("live"));
        var text = registry.Render();
        Assert.Contains("kollect_gc_heap_bytes{kind=\"committed\"}", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_resident_memory_bytes gauge", text, StringComparison.Ordinal);
    }
}
