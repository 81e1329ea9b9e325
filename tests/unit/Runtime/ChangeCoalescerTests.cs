using Kollect.Operator.Runtime;

namespace Kollect.Tests.Unit.Runtime;

public sealed class ChangeCoalescerTests
{
    [Fact]
    public async Task The_first_mark_is_handed_over_at_once_and_a_burst_after_it_in_one_flush()
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

        coalescer.Mark("team-a");
        lock (flushes)
        {
            // Synchronously, before any timer could have fired: a lone change does not wait.
            Assert.Equal(["team-a"], Assert.Single(flushes));
        }

        for (var i = 0; i < 100; i++)
        {
            coalescer.Mark(i % 2 == 0 ? "team-a" : "team-b");
        }
        Assert.True(await flushed.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await flushed.WaitAsync(TimeSpan.FromSeconds(10)));

        lock (flushes)
        {
            Assert.Equal(2, flushes.Count);
            Assert.Equal(["team-a", "team-b"], flushes[1].Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task After_a_quiet_window_the_next_mark_is_again_handed_over_at_once()
    {
        var count = 0;
        using var coalescer = new ChangeCoalescer(TimeSpan.FromMilliseconds(50), _ => Interlocked.Increment(ref count));
        coalescer.Mark("a");
        Assert.Equal(1, Volatile.Read(ref count));

        // Two windows without marks end the holding period.
        await Task.Delay(TimeSpan.FromSeconds(2));
        coalescer.Mark("b");
        Assert.Equal(2, Volatile.Read(ref count));
    }
}
