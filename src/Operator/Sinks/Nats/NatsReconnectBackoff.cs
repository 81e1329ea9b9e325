namespace Kollect.Operator.Sinks.Nats;

/// <summary>Reconnect delays: exponential from a minimum to a maximum, with "equal jitter" (SPEC §6.2).</summary>
internal static class NatsReconnectBackoff
{
    /// <summary>
    /// Delay before reconnect attempt <paramref name="attempt"/> (0-based): half of the capped
    /// exponential delay plus a random part of the other half, so many clients do not reconnect in step.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, double random01)
    {
        double exponential = min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        double capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + capped / 2 * Math.Clamp(random01, 0, 1));
    }
}
