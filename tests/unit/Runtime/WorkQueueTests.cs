using Kollect.Operator.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Kollect.Tests.Unit.Runtime;

public sealed class WorkQueueTests
{
    private static async Task<string> NextAsync(WorkQueue<string> queue)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (ok, item) = await queue.TryGetAsync(timeout.Token);
        Assert.True(ok);
        return item;
    }

    [Fact]
    public async Task Adding_the_same_key_twice_hands_it_out_once()
    {
        using var queue = new WorkQueue<string>("test");
        queue.Add("a");
        queue.Add("a");
        queue.Add("b");
        Assert.Equal(2, queue.Depth);
        Assert.Equal("a", await NextAsync(queue));
        Assert.Equal("b", await NextAsync(queue));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task A_key_being_processed_is_not_handed_out_again_until_done_then_once_more()
    {
        using var queue = new WorkQueue<string>("test");
        queue.Add("a");
        Assert.Equal("a", await NextAsync(queue));
        queue.Add("a");
        queue.Add("a");
        Assert.Equal(0, queue.Depth);
        queue.Done("a");
        Assert.Equal(1, queue.Depth);
        Assert.Equal("a", await NextAsync(queue));
        queue.Done("a");
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task Rate_limited_adds_back_off_per_item_and_forget_resets()
    {
        using var queue = new WorkQueue<string>("test", new ExponentialBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(8)));
        Assert.Equal(TimeSpan.FromMilliseconds(1), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(2), queue.AddRateLimited("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(1), queue.AddRateLimited("b"));
        Assert.Equal(2, queue.Failures("a"));
        queue.Forget("a");
        Assert.Equal(0, queue.Failures("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(1), queue.AddRateLimited("a"));
        var first = await NextAsync(queue);
        var second = await NextAsync(queue);
        Assert.Equal(["a", "b"], new[] { first, second }.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Shut_down_releases_waiting_workers()
    {
        var queue = new WorkQueue<string>("test");
        var waiting = queue.TryGetAsync(CancellationToken.None).AsTask();
        queue.ShutDown();
        var (ok, _) = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(ok);
        queue.Add("ignored");
        Assert.Equal(0, queue.Depth);
        queue.Dispose();
    }

    [Fact]
    public async Task Delayed_adds_of_one_key_keep_the_earliest_ready_time_and_hand_it_out_once()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>("test", time: time);
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(3));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        Assert.Equal(1, queue.Waiting);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, queue.Depth);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Depth);
        Assert.Equal(0, queue.Waiting);
        Assert.Equal("a", await NextAsync(queue));
        queue.Done("a");
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, queue.Depth);
    }

    [Fact]
    public async Task An_immediate_add_replaces_a_waiting_delayed_one()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>("test", time: time);
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        queue.Add("a");
        Assert.Equal(0, queue.Waiting);
        Assert.Equal("a", await NextAsync(queue));
        queue.Done("a");
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, queue.Depth);
    }
}
