using Kollect.Operator.Observability;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// One circuit per sink (issue #13): after <see cref="SinkReliabilityOptions.CircuitFailures"/>
/// consecutive transient publish failures on a sink, every export to it fails fast for
/// <see cref="SinkReliabilityOptions.CircuitCooldown"/>; then one export probes the broker (half
/// open) — success closes the circuit, failure opens it for another cool-down. A dead broker then
/// costs one probe per cool-down instead of a connect or PubAck wait per ref and retry. Exposed as
/// <c>kollect_sink_circuit_state{sink}</c>: 0 closed, 1 open, 2 half open. Ours: no circuit library
/// in the registry works with our async, per-key, metric-exposed use without more code than this.
/// </summary>
public sealed class SinkCircuitBreaker
{
    public const double Closed = 0;
    public const double Open = 1;
    public const double HalfOpen = 2;

    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private readonly Dictionary<string, Circuit> _circuits = new(StringComparer.Ordinal);
    private readonly int _failures;
    private readonly TimeSpan _cooldown;
    private readonly Gauge? _state;

    public SinkCircuitBreaker(SinkReliabilityOptions options, MetricsRegistry? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _failures = Math.Max(1, options.CircuitFailures);
        _cooldown = options.CircuitCooldown;
        _state = metrics?.Gauge("kollect_sink_circuit_state", "Per sink: 0 closed (exports flow), 1 open (failing fast), 2 half open (one export probes).", "sink");
    }

    /// <summary>
    /// May an export to <paramref name="sink"/> start now? When not, <paramref name="retryAt"/> is
    /// when the cool-down ends. A half-open circuit lets exactly one caller through as its probe.
    /// </summary>
    public bool TryEnter(string sink, DateTimeOffset now, out DateTimeOffset retryAt)
    {
        lock (_gate)
        {
            retryAt = now;
            if (!_circuits.TryGetValue(sink, out var circuit) || circuit.State == Closed)
            {
                return true;
            }
            if (circuit.State == Open && now >= circuit.OpenUntil)
            {
                circuit.State = HalfOpen;
                Publish(sink, circuit);
                return true;
            }
            // While a probe runs, look again soon: it either closes the circuit or reopens it.
            retryAt = circuit.State == Open ? circuit.OpenUntil : now + (_cooldown < ProbeWait ? _cooldown : ProbeWait);
            return false;
        }
    }

    /// <summary>Records how an export that <see cref="TryEnter"/> let through ended; non-transient failures say nothing about the broker.</summary>
    public void Record(string sink, bool delivered, bool transient, DateTimeOffset now)
    {
        if (!delivered && !transient)
        {
            lock (_gate)
            {
                // A probe that ended in a permanent error (message too large): let the next export probe.
                if (_circuits.TryGetValue(sink, out var probing) && probing.State == HalfOpen)
                {
                    probing.State = Open;
                    probing.OpenUntil = now;
                    Publish(sink, probing);
                }
            }
            return;
        }
        lock (_gate)
        {
            if (!_circuits.TryGetValue(sink, out var circuit))
            {
                if (delivered)
                {
                    return;
                }
                circuit = new Circuit();
                _circuits[sink] = circuit;
            }
            if (delivered)
            {
                circuit.State = Closed;
                circuit.ConsecutiveFailures = 0;
            }
            else
            {
                circuit.ConsecutiveFailures++;
                if (circuit.State == HalfOpen || circuit.ConsecutiveFailures >= _failures)
                {
                    circuit.State = Open;
                    circuit.OpenUntil = now + _cooldown;
                }
            }
            Publish(sink, circuit);
        }
    }

    /// <summary>The circuit's state (<see cref="Closed"/>, <see cref="Open"/>, <see cref="HalfOpen"/>).</summary>
    public double State(string sink)
    {
        lock (_gate)
        {
            return _circuits.TryGetValue(sink, out var circuit) ? circuit.State : Closed;
        }
    }

    /// <summary>Drops a deleted sink's circuit.</summary>
    public void Forget(string sink)
    {
        lock (_gate)
        {
            if (_circuits.Remove(sink))
            {
                _state?.Set(Closed, sink);
            }
        }
    }

    private void Publish(string sink, Circuit circuit) => _state?.Set(circuit.State, sink);

    private sealed class Circuit
    {
        public double State = Closed;
        public int ConsecutiveFailures;
        public DateTimeOffset OpenUntil;
    }
}
