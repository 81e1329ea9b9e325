using System.Diagnostics;

namespace Kollect.Bench;

/// <summary>
/// Runs one operation with warm-up and repetitions and summarises wall time (median, p95, min)
/// and the bytes it allocated on the calling thread (median over the repetitions).
/// </summary>
internal sealed record Measurement(string Name, string Workload, double MedianMs, double P95Ms, double MinMs, long AllocatedBytes)
{
    public static Measurement Run(string name, string workload, int warmup, int iterations, Action operation)
    {
        for (var i = 0; i < warmup; i++)
        {
            operation();
        }
        var times = new double[iterations];
        var allocations = new long[iterations];
        for (var i = 0; i < iterations; i++)
        {
            // A collection between repetitions keeps one repetition's garbage out of the next one's time.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            operation();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            allocations[i] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Array.Sort(times);
        Array.Sort(allocations);
        return new Measurement(name, workload, Percentile(times, 0.5), Percentile(times, 0.95), times[0], allocations[iterations / 2]);
    }

    // Nearest-rank percentile of sorted values.
    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
