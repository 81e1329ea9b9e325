using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kollect.Testing.Operator;

/// <summary>
/// <c>kollect run</c> as its own process (the binary from <see cref="KollectBinary.StartInfo"/>), or
/// any command that runs it (the operator inside its image, <c>unshare</c> for the in-cluster
/// configuration). Keeps every output line (JSON logs on stderr) for assertions and failure
/// reports; killed on Dispose.
/// </summary>
public sealed class OperatorProcess : IScenarioOperator
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly bool _processGroup;

    /// <summary><c>kollect run <paramref name="args"/></c>, without an inherited KUBECONFIG.</summary>
    public OperatorProcess(params string[] args)
        : this(KollectBinary.StartInfo(["run", .. args]))
    {
    }

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

    /// <summary>
    /// <c>kollect run</c> against a local test API server (tests/e2e local mode): loopback sinks
    /// allowed, probe and metrics servers on free ports, <paramref name="extraArgs"/> after those and
    /// <paramref name="environment"/> set.
    /// </summary>
    public static OperatorProcess Local(string kubeconfig, string clusterName, IEnumerable<string>? extraArgs = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = KollectBinary.StartInfo(
            new[] { "run", "--kubeconfig", kubeconfig, "--allow-loopback-sinks", "--cluster-name", clusterName,
             "--metrics-bind-address", "127.0.0.1:0", "--health-probe-bind-address", "127.0.0.1:0" }.Concat(extraArgs ?? []));
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        return new OperatorProcess(start);
    }

    /// <summary>
    /// Runs the operator in a private mount namespace (<c>unshare --mount</c>, root only) in which
    /// <paramref name="serviceAccountDirectory"/>'s files appear at the kubelet's service-account
    /// path, with <paramref name="environment"/> set: the in-cluster configuration, without a cluster.
    /// </summary>
    public static OperatorProcess InCluster(string serviceAccountDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var inner = KollectBinary.StartInfo(["run", .. args]);
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

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Every line the operator printed so far, standard output and standard error, JSON or not.</summary>
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

    /// <summary><see cref="Lines"/> as one text, for assertions on what was (never) printed.</summary>
    public string Output => string.Join('\n', Lines);

    /// <summary>The JSON log records so far (lines that parse as objects).</summary>
    public IReadOnlyList<JsonElement> Logs =>
        Lines.Where(l => l.StartsWith('{')).Select(TryParse).Where(e => e.ValueKind == JsonValueKind.Object).ToList();

    /// <summary>True once a log record's message starts with <paramref name="message"/> (the JSON console formatter's <c>Message</c>).</summary>
    public bool Logged(string message) =>
        Logs.Any(l => l.TryGetProperty("Message", out var m) && m.GetString()?.StartsWith(message, StringComparison.Ordinal) == true);

    /// <summary>True when some string in some JSON log line (message or field, at any depth) contains <paramref name="text"/>.</summary>
    public bool LogContains(string text) => Logs.Any(l => Strings(l).Any(v => v.Contains(text, StringComparison.Ordinal)));

    /// <summary>The URL of a probe server, read from the "operator starting" log line's <c>State</c>.</summary>
    public string? Url(string field) =>
        Logs.FirstOrDefault(l => l.TryGetProperty("Message", out var m) && m.GetString()?.StartsWith("operator starting", StringComparison.Ordinal) == true) is { ValueKind: JsonValueKind.Object } start
        && start.TryGetProperty("State", out var state) && state.TryGetProperty(field, out var endpoint) && endpoint.GetString() is { } text
            ? $"http://{text}"
            : null;

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

    /// <summary>Sends SIG<paramref name="signal"/> (e.g. <c>TERM</c>) to the process, or to its whole group, and returns.</summary>
    public void Signal(string signal)
    {
        using var kill = SendSignal(signal);
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to exit; throws <see cref="OperationCanceledException"/> after <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
    }

    /// <summary>SIGKILL: no drain, no lease release, nothing written on the way out.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = SendSignal("KILL"))
        {
            await kill.WaitForExitAsync();
        }
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM (graceful: drains in-flight exports, SPEC §7), then waits; kills after 20 s and fails.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var kill = SendSignal("TERM"))
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
            using var kill = SendSignal("KILL");
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

    /// <summary>Starts <c>kill -SIGNAL</c> for the process, or for its whole group.</summary>
    private Process SendSignal(string signal)
    {
        var id = Id.ToString(CultureInfo.InvariantCulture);
        return Process.Start("kill", _processGroup ? ["-" + signal, "--", "-" + id] : ["-" + signal, id]);
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

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
