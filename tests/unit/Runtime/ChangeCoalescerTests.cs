using Kollect.Operator.Runtime;

namespace Kollect.Tests.Unit.Runtime;

public sealed class ChangeCoalescerTests
{
    [Fact]
    public async Task MarksWithinTheWindowAreFlushedOnceAndDeduplicated()
    {
        var flushes = new List<IReadOnlyCollection<string>>();
        var flushed = new SemaphoreSlim(0);
        using var coalescer = new ChangeCoalescer(TimeSpan.FromMilliseconds(300), batch =>
        {
            lock (flushes)
            {
                flushes.Add(batch);
            }
            flushed.Release();
        });

        for (var i = 0; i < 100; i++)
        {
            coalescer.Mark(i % 2 == 0 ? "team-a" : "team-b");
        }
        Assert.True(await flushed.WaitAsync(TimeSpan.FromSeconds(10)));

        coalescer.Mark(["team-c"]);
        Assert.True(await flushed.WaitAsync(TimeSpan.FromSeconds(10)));

        lock (flushes)
        {
            Assert.Equal(2, flushes.Count);
            Assert.Equal(["team-a", "team-b"], flushes[0].Order(StringComparer.Ordinal));
            Assert.Equal(["team-c"], flushes[1]);
        }
    }
}
