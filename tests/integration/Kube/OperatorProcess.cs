using System.Diagnostics;
using System.Text.Json;

namespace Kollect.Tests.Integration.Kube;

/// <summary>
/// <c>kollect run</c> as its own process: the AOT binary from <c>KOLLECT_BIN</c> when set, else
/// <c>dotnet kollect.dll</c> from the test output. Collects its JSON log lines; killed on Dispose.
/// </summary>
public sealed class OperatorProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _logs = [];

    private readonly System.Text.StringBuilder _output = new();

    public OperatorProcess(params string[] args)
        : this(Command(args))
    {
    }

    private OperatorProcess(ProcessStartInfo start)
    {
        _process = new Process { StartInfo = start };
        _process.ErrorDataReceived += (_, e) =>
        {
            Capture(e.Data);
            if (e.Data is { Length: > 0 } line && line.StartsWith('{'))
            {
                lock (_logs)
                {
                    _logs.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        };
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    /// <summary>
    /// Runs the operator in a private mount namespace (<c>unshare --mount</c>, root only) in which
    /// <paramref name="serviceAccountDirectory"/>'s files appear at the kubelet's service-account
    /// path, with <paramref name="environment"/> set: the in-cluster configuration, without a cluster.
    /// </summary>
    public static OperatorProcess InCluster(string serviceAccountDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var inner = Command(args);
        const string script = """
            set -e
            mount -t tmpfs kollect-kube-run /run
            mkdir -p /run/secrets/kubernetes.io/serviceaccount
            cp "$0"/* /run/secrets/kubernetes.io/serviceaccount/
            exec "$@"
            """;
        var start = new ProcessStartInfo("unshare")
        {
            ArgumentList = { "--mount", "--propagation", "private", "sh", "-c", script, serviceAccountDirectory, inner.FileName },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in inner.ArgumentList)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        start.Environment.Remove("KUBECONFIG");
        return new OperatorProcess(start);
    }

    public int Id => _process.Id;

    /// <summary>Every line the process wrote to standard output and standard error, JSON or not.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public List<JsonElement> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>True when some string in some JSON log line (message or field, at any depth) contains <paramref name="text"/>.</summary>
    public bool LogContains(string text) => Logs.Any(l => Strings(l).Any(v => v.Contains(text, StringComparison.Ordinal)));

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>True once a log record's message starts with <paramref name="message"/> (the JSON console formatter's <c>Message</c>).</summary>
    public bool Logged(string message) => Logs.Any(l => l.TryGetProperty("Message", out var m) && m.GetString()?.StartsWith(message, StringComparison.Ordinal) == true);

    /// <summary>The URL of a probe server, read from the "operator starting" log line.</summary>
    public string? Url(string field) =>
        Logs.FirstOrDefault(l => l.TryGetProperty("Message", out var m) && m.GetString()?.StartsWith("operator starting", StringComparison.Ordinal) == true) is { ValueKind: JsonValueKind.Object } start
        && start.TryGetProperty("State", out var state) && state.TryGetProperty(field, out var endpoint) && endpoint.GetString() is { } text
            ? $"http://{text}"
            : null;

    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);

    private static ProcessStartInfo Command(string[] args)
    {
        var binary = Environment.GetEnvironmentVariable("KOLLECT_BIN");
        var start = string.IsNullOrEmpty(binary)
            ? new ProcessStartInfo("dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "kollect.dll") } }
            : new ProcessStartInfo(binary);
        start.ArgumentList.Add("run");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        start.Environment.Remove("KUBECONFIG");
        return start;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
