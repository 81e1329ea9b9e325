using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kollect.Operator.Observability;

/// <summary>
/// Structured JSON logs, one object per line on stderr (SPEC §7): <c>ts</c>, <c>level</c>,
/// <c>msg</c>, <c>logger</c>, then the fields. Our own few lines instead of
/// Microsoft.Extensions.Logging: no DI, nothing to trim, nothing to start.
/// </summary>
public sealed class Logger
{
    private readonly Sink _sink;

    public Logger(TextWriter output, LogSeverity minimum, string name = "kollect")
        : this(new Sink(output, minimum), name)
    {
    }

    private Logger(Sink sink, string name)
    {
        _sink = sink;
        Name = name;
    }

    public string Name { get; }

    public LogSeverity Minimum => _sink.Minimum;

    /// <summary>A logger writing to the same output under another name.</summary>
    public Logger ForLogger(string name) => new(_sink, name);

    public static LogSeverity ParseSeverity(string text) => text.ToLowerInvariant() switch
    {
        "debug" => LogSeverity.Debug,
        "info" => LogSeverity.Info,
        "warn" or "warning" => LogSeverity.Warn,
        "error" => LogSeverity.Error,
        _ => throw new ArgumentException($"log level '{text}' is not one of debug, info, warn, error."),
    };

    public void Debug(string message, params (string Name, object? Value)[] fields) => Write(LogSeverity.Debug, message, fields);

    public void Info(string message, params (string Name, object? Value)[] fields) => Write(LogSeverity.Info, message, fields);

    public void Warn(string message, params (string Name, object? Value)[] fields) => Write(LogSeverity.Warn, message, fields);

    public void Error(string message, params (string Name, object? Value)[] fields) => Write(LogSeverity.Error, message, fields);

    public bool IsEnabled(LogSeverity severity) => severity >= _sink.Minimum;

    private void Write(LogSeverity severity, string message, (string Name, object? Value)[] fields)
    {
        if (!IsEnabled(severity))
        {
            return;
        }
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ts", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", severity.ToString().ToLowerInvariant());
            json.WriteString("msg", message);
            json.WriteString("logger", Name);
            foreach (var (name, value) in fields)
            {
                switch (value)
                {
                    case null:
                        json.WriteNull(name);
                        break;
                    case bool b:
                        json.WriteBoolean(name, b);
                        break;
                    case int i:
                        json.WriteNumber(name, i);
                        break;
                    case long l:
                        json.WriteNumber(name, l);
                        break;
                    case double d:
                        json.WriteNumber(name, d);
                        break;
                    default:
                        json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }
            json.WriteEndObject();
        }
        _sink.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private sealed class Sink(TextWriter output, LogSeverity minimum)
    {
        private readonly object _gate = new();

        public LogSeverity Minimum { get; } = minimum;

        public void WriteLine(string line)
        {
            lock (_gate)
            {
                output.WriteLine(line);
                output.Flush();
            }
        }
    }
}
