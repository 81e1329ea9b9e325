using Kollect.Operator.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Kollect.Tests.Unit.Runtime;

/// <summary>The coalescer on a <see cref="FakeTimeProvider"/>: windows end when the test advances time, never by waiting.</summary>
public sealed class ChangeCoalescerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(300);

    [Fact]
    public void The_first_mark_is_handed_over_at_once_and_a_burst_after_it_in_one_flush()
    {
        var time = new FakeTimeProvider();
        var flushes = new List<IReadOnlyCollection<string>>();
        using var coalescer = new ChangeCoalescer(Window, flushes.Add, time);

        coalescer.Mark("team-a");
        // Synchronously, before the window could end: a lone change does not wait.
        Assert.Equal(["team-a"], Assert.Single(flushes));

        for (var i = 0; i < 100; i++)
        {
            coalescer.Mark(i % 2 == 0 ? "team-a" : "team-b");
        }

        time.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.Single(flushes);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, flushes.Count);
        Assert.Equal(["team-a", "team-b"], flushes[1].Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_mark_during_the_follow_up_window_waits_for_that_window()
    {
        var time = new FakeTimeProvider();
        var flushes = new List<IReadOnlyCollection<string>>();
        using var coalescer = new ChangeCoalescer(Window, flushes.Add, time);
        coalescer.Mark("a");
        coalescer.Mark("b");
        time.Advance(Window);                 // flushes "b" and opens another window
        coalescer.Mark("c");
        Assert.Equal(2, flushes.Count);
        time.Advance(Window);
        Assert.Equal(["c"], flushes[2]);
    }

    [Fact]
    public void After_a_quiet_window_the_next_mark_is_again_handed_over_at_once()
    {
        var time = new FakeTimeProvider();
        var count = 0;
        using var coalescer = new ChangeCoalescer(Window, _ => count++, time);
        coalescer.Mark("a");
        Assert.Equal(1, count);

        coalescer.Mark("b");
        Assert.Equal(1, count);               // held: the window is open
        time.Advance(Window);                 // "b" goes, another window opens
        Assert.Equal(2, count);
        time.Advance(Window);                 // a window without marks ends the holding period
        coalescer.Mark("c");
        Assert.Equal(3, count);
    }
}
