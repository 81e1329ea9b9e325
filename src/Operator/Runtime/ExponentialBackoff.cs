namespace Kollect.Operator.Runtime;

/// <summary>
/// Delay after the n-th consecutive failure: <c>base · 2^n</c>, capped (SPEC §7: 5 ms → 1000 s for
/// the work queue). Pure; jitter is applied by callers that talk to servers.
/// </summary>
public sealed record ExponentialBackoff(TimeSpan Base, TimeSpan Max)
{
    public static readonly ExponentialBackoff WorkQueue = new(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));

    public TimeSpan Delay(int failures)
    {
        if (failures <= 0)
        {
            return Base;
        }
        // 2^n overflows long ticks past n≈40; the cap is reached long before.
        var factor = Math.Pow(2, Math.Min(failures, 62));
        var ticks = Base.Ticks * factor;
        return ticks >= Max.Ticks ? Max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The delay with up to <paramref name="jitterFraction"/> added at random, so clients do not retry in lockstep.</summary>
    public TimeSpan DelayWithJitter(int failures, double jitterFraction = 0.2, Random? random = null)
    {
        var delay = Delay(failures);
        var jitter = (random ?? Random.Shared).NextDouble() * jitterFraction;
        return TimeSpan.FromTicks((long)(delay.Ticks * (1 + jitter)));
    }
}
