namespace Kollect.Operator.Observability;

/// <summary>
/// The process's memory on <c>/metrics</c>: resident memory and what the GC holds, so that where
/// RSS goes (live rows, free space inside the heap, memory the GC keeps committed, or none of
/// these: native memory and the binary's pages) can be read off a running operator (issue #14).
/// NativeAOT has no <c>dotnet-counters</c>; these are read at scrape time and cost nothing between.
/// </summary>
public static class RuntimeMetrics
{
    public static void Register(MetricsRegistry metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.Gauge("process_resident_memory_bytes", "Resident memory of the process (VmRSS).").Track([], () => Environment.WorkingSet);
        var heap = metrics.Gauge("kollect_gc_heap_bytes",
            "Managed heap as of the last GC: live (reachable objects), fragmented (free space inside the heap), committed (all memory the GC holds).",
            "kind");
        heap.Track(["live"], () =>
        {
            var info = GC.GetGCMemoryInfo();
            return info.HeapSizeBytes - info.FragmentedBytes;
        });
        heap.Track(["fragmented"], () => GC.GetGCMemoryInfo().FragmentedBytes);
        heap.Track(["committed"], () => GC.GetGCMemoryInfo().TotalCommittedBytes);
    }
}
