using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kollect.Testing.Nats;

/// <summary>
/// A real <c>nats-server</c> on a free loopback port with its own temp dir; can be killed and
/// restarted on the same port and store dir. Always killed in <see cref="Dispose"/>.
/// </summary>
public sealed class NatsServerProcess : IDisposable
{
    private readonly string? _config;
    private readonly bool _jetStream;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private NatsServerProcess(string directory, string? config, bool jetStream)
    {
        Directory = directory;
        _config = config;
        _jetStream = jetStream;
        Port = FreePort();
        MonitorPort = FreePort();
    }

    /// <summary>The temp dir (store, config, certificates).</summary>
    public string Directory { get; }

    /// <summary>The client port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The HTTP monitoring port (<c>/connz</c>) on 127.0.0.1.</summary>
    public int MonitorPort { get; }

    /// <summary><c>nats://127.0.0.1:port</c>.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>Everything the server logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Creates a temp dir, lets <paramref name="writeConfig"/> put files there and starts the server.</summary>
    public static NatsServerProcess Start(Func<string, string?>? writeConfig = null, bool jetStream = true)
    {
        string directory = Path.Combine(Path.GetTempPath(), "kollect-nats-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        string? config = writeConfig?.Invoke(directory);
        NatsServerProcess server = new(directory, config, jetStream);
        try
        {
            server.Run();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Kills the server (SIGKILL: no graceful shutdown) and waits for it to exit.</summary>
    public void Kill()
    {
        Process? process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        process.Dispose();
    }

    /// <summary>Client connections the server currently holds, from its monitoring endpoint.</summary>
    public async Task<int> ConnectionCountAsync()
    {
        using HttpClient http = new();
        string json = await http.GetStringAsync($"http://127.0.0.1:{MonitorPort}/connz");
        using System.Text.Json.JsonDocument connz = System.Text.Json.JsonDocument.Parse(json);
        return connz.RootElement.GetProperty("num_connections").GetInt32();
    }

    /// <summary>
    /// Freezes the server (SIGSTOP): its sockets stay open but it answers nothing. Returns once
    /// every thread of the server is stopped: the signal is delivered asynchronously, and on a
    /// loaded machine a thread that is still running could answer one more request.
    /// </summary>
    public void Pause()
    {
        Signal("-STOP");
        int pid = _process!.Id;
        DateTime deadline = DateTime.UtcNow.AddSeconds(10);
        while (!AllThreadsStopped(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"nats-server {pid} did not stop within 10 s of SIGSTOP");
            }
            Thread.Sleep(1);
        }
    }

    private static bool AllThreadsStopped(int pid)
    {
        foreach (string task in System.IO.Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            // /proc/<pid>/task/<tid>/stat: "tid (comm) S ..."; the state follows the last ')'.
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(task, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread exited
            }
            char state = stat[(stat.LastIndexOf(')') + 2)..][0];
            if (state is not ('T' or 't'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Lets a paused server run again (SIGCONT).</summary>
    public void Resume() => Signal("-CONT");

    /// <summary>Starts the server again on the same port with the same store dir.</summary>
    public void Restart()
    {
        Kill();
        Run();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Kill();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private void Run()
    {
        ProcessStartInfo start = new("nats-server")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (_jetStream)
        {
            start.ArgumentList.Add("-js");
            start.ArgumentList.Add("-sd");
            start.ArgumentList.Add(Path.Combine(Directory, "store"));
        }

        start.ArgumentList.Add("-a");
        start.ArgumentList.Add("127.0.0.1");
        start.ArgumentList.Add("-p");
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("-m");
        start.ArgumentList.Add(MonitorPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (_config is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(_config);
        }

        using ManualResetEventSlim ready = new();
        Process process = new() { StartInfo = start };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_log)
            {
                _log.AppendLine(e.Data);
            }

            if (e.Data.Contains("Server is ready", StringComparison.Ordinal))
            {
                ready.Set();
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Start();
        _process = process;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (!ready.Wait(TimeSpan.FromSeconds(20)))
        {
            Kill();
            throw new InvalidOperationException($"nats-server did not become ready on port {Port}:\n{Log}");
        }
    }

    private void Signal(string signal)
    {
        int pid = _process?.Id ?? throw new InvalidOperationException("nats-server is not running");
        using Process kill = Process.Start("kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {pid} failed");
        }
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
