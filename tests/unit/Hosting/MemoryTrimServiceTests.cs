using Kollect.Operator.Hosting;

namespace Kollect.Tests.Unit.Hosting;

public sealed class MemoryTrimServiceTests
{
    private const long MiB = 1L << 20;

    [Theory]
    [InlineData(10, true, 3600, false)]   // the gap is the ordinary gen0 budget: never
    [InlineData(50, false, 0, true)]      // first trim (the last one "never" ran)
    [InlineData(50, false, 10, false)]    // still allocating: not again within 30 s
    [InlineData(50, false, 30, true)]
    [InlineData(50, true, 3, false)]      // quiet, but the last trim was 3 s ago
    [InlineData(50, true, 4, true)]       // quiet after a burst: the burst's free space goes now
    public void Trims_a_large_gap_once_per_30_s_while_allocating_and_after_4_s_once_quiet(long gapMiB, bool quiet, int secondsSinceLast, bool trims) =>
        Assert.Equal(trims, MemoryTrimService.ShouldTrim(gapMiB * MiB, quiet, secondsSinceLast == 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(secondsSinceLast)));
}
