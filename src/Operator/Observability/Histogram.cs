using System.Collections.Concurrent;
using System.Text;

namespace Kollect.Operator.Observability;

/// <summary>A Prometheus histogram: cumulative buckets, <c>_sum</c> and <c>_count</c> per label set.</summary>
public sealed class Histogram : Metric
{
    /// <summary>Prometheus client defaults, in seconds.</summary>
    public static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;
    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);

    public Histogram(string name, string help, string[] labelNames, double[]? buckets = null)
        : base(name, help, "histogram", labelNames)
    {
        _bounds = (buckets ?? DefaultBuckets).Order().ToArray();
    }

    public void Observe(double value, params string[] labelValues)
    {
        var series = _series.GetOrAdd(Key(labelValues), _ => new Series(_bounds.Length));
        lock (series)
        {
            for (var i = 0; i < _bounds.Length; i++)
            {
                if (value <= _bounds[i])
                {
                    series.Buckets[i]++;
                }
            }
            series.Count++;
            series.Sum += value;
        }
    }

    protected override void WriteSeries(StringBuilder text)
    {
        foreach (var (key, series) in Sorted(_series))
        {
            var labels = Values(key, LabelNames.Count);
            lock (series)
            {
                for (var i = 0; i < _bounds.Length; i++)
                {
                    WriteSample(text, Name + "_bucket", labels, series.Buckets[i], ("le", FormatValue(_bounds[i])));
                }
                WriteSample(text, Name + "_bucket", labels, series.Count, ("le", "+Inf"));
                WriteSample(text, Name + "_sum", labels, series.Sum);
                WriteSample(text, Name + "_count", labels, series.Count);
            }
        }
    }

    private sealed class Series(int buckets)
    {
        public long[] Buckets { get; } = new long[buckets];
        public long Count { get; set; }
        public double Sum { get; set; }
    }
}
