using Microsoft.Extensions.Hosting;

namespace Kollect.Operator.Hosting;

/// <summary>
/// Gives memory back to the OS after a burst (issue #14). A cold collection or a large export
/// commits tens of MiB of GC heap for a few seconds; the operator then goes quiet, no GC runs, and
/// the free space stays committed (heap counts at 10k ConfigMaps: 9.5 MiB live, 43 MiB anonymous
/// RSS). Every few seconds this compares what the GC has committed with what was live at the last
/// GC and, when the gap is large, runs one aggressive (decommitting) collection: at most once per
/// <see cref="MinimumInterval"/> while the process keeps allocating, so steady churn is never
/// collected on a timer, but as soon as <see cref="QuietInterval"/> after the last one once
/// allocation has gone quiet, so a trim that ran during a burst (the cold LIST of 100k objects) is
/// followed by one after it instead of 30 s of the burst's free space (≈ 50 MiB at 100k). Once, after
/// <see cref="StartupSettle"/>, it also drops the executable's start-up-only pages
/// (<see cref="StartupPageTrim"/>).
/// </summary>
public sealed class MemoryTrimService : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    // An aggressive gen2 GC of a 100k-row heap takes tens of ms; once per 30 s is < 0.5 % of a core.
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(30);

    // After a trim, the soonest the next one may run once allocation is quiet.
    private static readonly TimeSpan QuietInterval = TimeSpan.FromSeconds(4);

    // Below this the gap is the ordinary gen0 budget, not a burst.
    private const long GapBytes = 16L << 20;

    // Allocation below this per check interval is quiet (an idle operator's probes and watches).
    private const long QuietBytes = 4L << 20;

    // Start-up (host, informers' first LIST, probe servers) is over well within this on 2 cores.
    private static readonly TimeSpan StartupSettle = TimeSpan.FromSeconds(4);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval);
        var last = DateTimeOffset.MinValue;
        var started = DateTimeOffset.UtcNow;
        var pagesTrimmed = false;
        var allocated = GC.GetTotalAllocatedBytes();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!pagesTrimmed && DateTimeOffset.UtcNow - started >= StartupSettle)
                {
                    StartupPageTrim.Run();
                    pagesTrimmed = true;
                }
                var info = GC.GetGCMemoryInfo();
                var live = info.HeapSizeBytes - info.FragmentedBytes;
                var allocatedNow = GC.GetTotalAllocatedBytes();
                var quiet = allocatedNow - allocated < QuietBytes;
                allocated = allocatedNow;
                if (ShouldTrim(info.TotalCommittedBytes - live, quiet, DateTimeOffset.UtcNow - last))
                {
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    last = DateTimeOffset.UtcNow;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Whether to trim now: the GC holds more than <see cref="GapBytes"/> beyond what was live, and
    /// the last trim is <see cref="MinimumInterval"/> ago — or only <see cref="QuietInterval"/> when
    /// the last check interval allocated less than <see cref="QuietBytes"/> (the burst is over).
    /// </summary>
    public static bool ShouldTrim(long committedBeyondLive, bool quiet, TimeSpan sinceLastTrim) =>
        committedBeyondLive > GapBytes && sinceLastTrim >= (quiet ? QuietInterval : MinimumInterval);
}
