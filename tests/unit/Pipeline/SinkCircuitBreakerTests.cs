using Kollect.Operator.Observability;
using Kollect.Operator.Pipeline;

namespace Kollect.Tests.Unit.Pipeline;

public sealed class SinkCircuitBreakerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 17, 0, 0, TimeSpan.Zero);
    private readonly MetricsRegistry _metrics = new();

    private SinkCircuitBreaker Breaker() => new(new SinkReliabilityOptions { CircuitFailures = 3, CircuitCooldown = TimeSpan.FromSeconds(10) }, _metrics);

    private double Gauge(string sink) => _metrics.Gauge("kollect_sink_circuit_state", "", "sink").Value(sink);

    [Fact]
    public void OpensAfterConsecutiveTransientFailuresFailsFastThenLetsOneProbeThrough()
    {
        var breaker = Breaker();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(breaker.TryEnter("s", T0, out _));
            breaker.Record("s", delivered: false, transient: true, T0);
        }
        Assert.Equal(SinkCircuitBreaker.Closed, breaker.State("s"));
        breaker.Record("s", delivered: false, transient: true, T0);
        Assert.Equal(SinkCircuitBreaker.Open, breaker.State("s"));
        Assert.Equal(1, Gauge("s"));

        Assert.False(breaker.TryEnter("s", T0.AddSeconds(9), out var retryAt));
        Assert.Equal(T0.AddSeconds(10), retryAt);
        // Another sink is not affected.
        Assert.True(breaker.TryEnter("other", T0.AddSeconds(9), out _));

        Assert.True(breaker.TryEnter("s", T0.AddSeconds(10), out _));
        Assert.Equal(SinkCircuitBreaker.HalfOpen, breaker.State("s"));
        Assert.Equal(2, Gauge("s"));
        // Only one probe at a time; the others look again soon.
        Assert.False(breaker.TryEnter("s", T0.AddSeconds(10), out var soon));
        Assert.Equal(T0.AddSeconds(11), soon);

        breaker.Record("s", delivered: true, transient: false, T0.AddSeconds(11));
        Assert.Equal(SinkCircuitBreaker.Closed, breaker.State("s"));
        Assert.Equal(0, Gauge("s"));
        Assert.True(breaker.TryEnter("s", T0.AddSeconds(11), out _));
    }

    [Fact]
    public void AFailedProbeReopensForAWholeCooldownAndSuccessResetsTheCount()
    {
        var breaker = Breaker();
        for (var i = 0; i < 3; i++)
        {
            breaker.Record("s", delivered: false, transient: true, T0);
        }
        Assert.True(breaker.TryEnter("s", T0.AddSeconds(10), out _));
        breaker.Record("s", delivered: false, transient: true, T0.AddSeconds(12));
        Assert.False(breaker.TryEnter("s", T0.AddSeconds(21), out var retryAt));
        Assert.Equal(T0.AddSeconds(22), retryAt);

        var fresh = Breaker();
        fresh.Record("t", delivered: false, transient: true, T0);
        fresh.Record("t", delivered: false, transient: true, T0);
        fresh.Record("t", delivered: true, transient: false, T0);
        fresh.Record("t", delivered: false, transient: true, T0);
        Assert.Equal(SinkCircuitBreaker.Closed, fresh.State("t"));
    }

    [Fact]
    public void PermanentFailuresSayNothingAboutTheBroker()
    {
        var breaker = Breaker();
        for (var i = 0; i < 5; i++)
        {
            breaker.Record("s", delivered: false, transient: false, T0);
        }
        Assert.Equal(SinkCircuitBreaker.Closed, breaker.State("s"));
        Assert.True(breaker.TryEnter("s", T0, out _));
    }
}
