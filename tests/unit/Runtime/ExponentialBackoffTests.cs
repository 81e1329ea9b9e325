using Kollect.Operator.Runtime;

namespace Kollect.Tests.Unit.Runtime;

public sealed class ExponentialBackoffTests
{
    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(10, 5120)]
    [InlineData(17, 655360)]
    public void Work_queue_backoff_doubles_from_5_ms(int failures, double expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ExponentialBackoff.WorkQueue.Delay(failures));

    [Theory]
    [InlineData(18)]
    [InlineData(100)]
    [InlineData(int.MaxValue)]
    public void Work_queue_backoff_is_capped_at_1000_s(int failures) =>
        Assert.Equal(TimeSpan.FromSeconds(1000), ExponentialBackoff.WorkQueue.Delay(failures));

    [Fact]
    public void Jitter_adds_at_most_the_fraction()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        var random = new Random(42);
        for (var i = 0; i < 100; i++)
        {
            var delay = backoff.DelayWithJitter(2, 0.5, random);
            Assert.InRange(delay, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
        }
    }
}
