using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Kollect.Operator.Observability;

/// <summary>A named metric family with label names; series keyed by label values.</summary>
public abstract class Metric
{
    protected Metric(string name, string help, string type, string[] labelNames)
    {
        Name = name;
        Help = help;
        Type = type;
        LabelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    public string Type { get; }

    public IReadOnlyList<string> LabelNames { get; }

    /// <summary>Appends the family in Prometheus text exposition format 0.0.4.</summary>
    public void WriteTo(StringBuilder text)
    {
        text.Append("# HELP ").Append(Name).Append(' ').Append(Help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
        WriteSeries(text);
    }

    protected abstract void WriteSeries(StringBuilder text);

    protected string Key(string[] labelValues)
    {
        if (labelValues.Length != LabelNames.Count)
        {
            throw new ArgumentException($"metric {Name} takes {LabelNames.Count} label values ({string.Join(", ", LabelNames)}), got {labelValues.Length}.");
        }
        return string.Join('\u0001', labelValues);
    }

    protected static string[] Values(string key, int count) => count == 0 ? [] : key.Split('\u0001');

    /// <summary>Writes <c>name{a="x",b="y"} value</c>; <paramref name="extra"/> adds e.g. <c>le</c>.</summary>
    protected void WriteSample(StringBuilder text, string name, string[] labelValues, double value, (string Name, string Value)? extra = null)
    {
        text.Append(name);
        if (labelValues.Length > 0 || extra is not null)
        {
            text.Append('{');
            var first = true;
            for (var i = 0; i < labelValues.Length; i++)
            {
                AppendLabel(text, LabelNames[i], labelValues[i], ref first);
            }
            if (extra is { } e)
            {
                AppendLabel(text, e.Name, e.Value, ref first);
            }
            text.Append('}');
        }
        text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static void AppendLabel(StringBuilder text, string name, string value, ref bool first)
    {
        if (!first)
        {
            text.Append(',');
        }
        first = false;
        text.Append(name).Append("=\"")
            .Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal))
            .Append('"');
    }

    protected static IEnumerable<KeyValuePair<string, TValue>> Sorted<TValue>(ConcurrentDictionary<string, TValue> series) =>
        series.OrderBy(p => p.Key, StringComparer.Ordinal);
}
