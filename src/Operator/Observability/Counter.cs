using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Text;

namespace Kollect.Operator.Observability;

/// <summary>A monotonically increasing count per label set.</summary>
public sealed class Counter(string name, string help, string[] labelNames) : Metric(name, help, "counter", labelNames)
{
    private readonly ConcurrentDictionary<string, StrongBox<double>> _series = new(StringComparer.Ordinal);

    public void Inc(params string[] labelValues) => Add(1, labelValues);

    public void Add(double amount, params string[] labelValues)
    {
        if (amount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), $"counter {Name} cannot decrease.");
        }
        var box = _series.GetOrAdd(Key(labelValues), _ => new StrongBox<double>());
        lock (box)
        {
            box.Value += amount;
        }
    }

    public double Value(params string[] labelValues) => _series.TryGetValue(Key(labelValues), out var box) ? box.Value : 0;

    protected override void WriteSeries(StringBuilder text)
    {
        foreach (var (key, box) in Sorted(_series))
        {
            WriteSample(text, Name, Values(key, LabelNames.Count), box.Value);
        }
    }
}
