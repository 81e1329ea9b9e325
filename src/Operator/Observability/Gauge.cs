using System.Collections.Concurrent;
using System.Text;

namespace Kollect.Operator.Observability;

/// <summary>A value that goes up and down, set directly or read from a callback at scrape time.</summary>
public sealed class Gauge(string name, string help, string[] labelNames) : Metric(name, help, "gauge", labelNames)
{
    private readonly ConcurrentDictionary<string, Func<double>> _series = new(StringComparer.Ordinal);

    public void Set(double value, params string[] labelValues) => _series[Key(labelValues)] = () => value;

    /// <summary>Reads <paramref name="read"/> on every scrape (e.g. a queue's depth).</summary>
    public void Track(string[] labelValues, Func<double> read) => _series[Key(labelValues)] = read;

    public double Value(params string[] labelValues) => _series.TryGetValue(Key(labelValues), out var read) ? read() : 0;

    protected override void WriteSeries(StringBuilder text)
    {
        foreach (var (key, read) in Sorted(_series))
        {
            WriteSample(text, Name, Values(key, LabelNames.Count), read());
        }
    }
}
