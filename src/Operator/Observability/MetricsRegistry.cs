using System.Text;

namespace Kollect.Operator.Observability;

/// <summary>
/// The process's metrics, rendered for <c>/metrics</c> (SPEC §7). Asking twice for the same name
/// returns the same metric, so components register what they use without coordination.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, Metric> _metrics = new(StringComparer.Ordinal);

    public Counter Counter(string name, string help, params string[] labelNames) => GetOrAdd(name, () => new Counter(name, help, labelNames));

    public Gauge Gauge(string name, string help, params string[] labelNames) => GetOrAdd(name, () => new Gauge(name, help, labelNames));

    public Histogram Histogram(string name, string help, double[]? buckets, params string[] labelNames) =>
        GetOrAdd(name, () => new Histogram(name, help, labelNames, buckets));

    /// <summary>All metrics in Prometheus text format 0.0.4, families in name order.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        lock (_gate)
        {
            foreach (var metric in _metrics.Values)
            {
                metric.WriteTo(text);
            }
        }
        return text.ToString();
    }

    private T GetOrAdd<T>(string name, Func<T> create)
        where T : Metric
    {
        lock (_gate)
        {
            if (_metrics.TryGetValue(name, out var existing))
            {
                return existing as T ?? throw new InvalidOperationException($"metric {name} is already registered as a {existing.Type}.");
            }
            var metric = create();
            _metrics[name] = metric;
            return metric;
        }
    }
}
