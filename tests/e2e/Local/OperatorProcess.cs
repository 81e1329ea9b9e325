using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// <c>kollect run</c> from the published AOT binary (<see cref="KollectBinary"/>) as its own
/// process, with loopback sinks allowed and probe/metrics servers on free ports. Keeps every
/// output line (JSON logs on stderr) for failure reports; killed on Dispose.
/// </summary>
public sealed class OperatorProcess : IScenarioOperator
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly bool _processGroup;

    public OperatorProcess(string kubeconfig, string clusterName, IEnumerable<string>? extraArgs = null, IReadOnlyDictionary<string, string>? environment = null)
        : this(WithEnvironment(BinaryStartInfo(
            new[] { "run", "--kubeconfig", kubeconfig, "--allow-loopback-sinks", "--cluster-name", clusterName,
             "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0" }.Concat(extraArgs ?? [])), environment))
    {
    }

    private static ProcessStartInfo WithEnvironment(ProcessStartInfo start, IReadOnlyDictionary<string, string>? environment)
    {
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return start;
    }

    /// <summary>SIGKILL: no drain, no lease release, nothing written on the way out.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = Signal("KILL"))
        {
            await kill.WaitForExitAsync();
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>The exit code once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <paramref name="start"/> (its output redirected), e.g. the operator inside its image
    /// (tests/e2e/Deploy). With <paramref name="processGroup"/> the command leads its own process
    /// group (started through <c>setsid</c>) and stop/kill signal the whole group: buildah's chroot
    /// runner detaches from its parent, so killing the process tree would leave the operator running.
    /// </summary>
    public OperatorProcess(ProcessStartInfo start, bool processGroup = false)
    {
        _processGroup = processGroup;
        _process = new Process { StartInfo = start };
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line the operator printed so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The JSON log records so far (lines that parse as objects).</summary>
    public IReadOnlyList<JsonElement> Logs =>
        Lines.Where(l => l.StartsWith('{')).Select(TryParse).Where(e => e.ValueKind == JsonValueKind.Object).ToList();

    /// <summary>True once a log record's message starts with <paramref name="message"/> (the JSON console formatter's <c>Message</c>).</summary>
    public bool Logged(string message) =>
        Logs.Any(l => l.TryGetProperty("Message", out var m) && m.GetString()?.StartsWith(message, StringComparison.Ordinal) == true);

    /// <summary>The last <paramref name="count"/> lines, warnings and errors first, for failure messages.</summary>
    public string Excerpt(int count = 60)
    {
        var lines = Lines;
        var problems = lines.Where(l => l.Contains("\"LogLevel\":\"Warning", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Error", StringComparison.Ordinal)).TakeLast(20).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"--- operator pid {Id} ({(HasExited ? $"exited {_process.ExitCode}" : "running")}), {lines.Count} lines\n");
        if (problems.Count > 0)
        {
            text.Append("--- its warnings and errors (last 20)\n").AppendJoin('\n', problems).Append('\n');
        }
        text.Append(CultureInfo.InvariantCulture, $"--- its last {count} lines\n").AppendJoin('\n', lines.TakeLast(count));
        return text.ToString();
    }

    /// <summary>SIGTERM (graceful: drains in-flight exports, SPEC §7), then waits; kills after 20 s and fails.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = Signal("TERM"))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"the operator did not stop within 20 s of SIGTERM\n{Excerpt()}");
        }
    }

    public void Dispose()
    {
        if (_processGroup)
        {
            using var kill = Signal("KILL");
            kill.WaitForExit(5000);
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is { Length: > 0 })
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    /// <summary>Sends SIG<paramref name="signal"/> to the process, or to its whole group.</summary>
    private Process Signal(string signal)
    {
        var id = Id.ToString(CultureInfo.InvariantCulture);
        return Process.Start("kill", _processGroup ? ["-" + signal, "--", "-" + id] : ["-" + signal, id]);
    }

    /// <summary>The published binary with <paramref name="args"/>, without an inherited KUBECONFIG.</summary>
    public static ProcessStartInfo BinaryStartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(KollectBinary.Path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("KUBECONFIG");
        return start;
    }

    private static JsonElement TryParse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
