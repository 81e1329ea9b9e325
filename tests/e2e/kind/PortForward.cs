using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Kollect.Tests.E2e.Kind;

/// <summary>
/// <c>kubectl port-forward</c> (or <c>kubectl proxy</c>) in the background, up once it prints the
/// local port it listens on; killed on dispose. A forward ends with its pod, so a restarted
/// broker needs a new one.
/// </summary>
public sealed partial class PortForward : IDisposable
{
    private readonly Process _process;

    private PortForward(Process process, int port)
    {
        _process = process;
        LocalPort = port;
    }

    public int LocalPort { get; }

    /// <summary>Forwards <paramref name="localPort"/> (0: any free one) to <paramref name="target"/> (e.g. svc/nats) port <paramref name="remotePort"/>.</summary>
    public static Task<PortForward> StartAsync(string ns, string target, int localPort, int remotePort) =>
        StartAsync(["port-forward", "-n", ns, "--address", "127.0.0.1", target, $"{localPort}:{remotePort}"], ForwardingLine());

    /// <summary><c>kubectl proxy</c> on a free port: plain HTTP to the API server with the kubeconfig's credentials.</summary>
    public static Task<PortForward> ProxyAsync() =>
        StartAsync(["proxy", "--address", "127.0.0.1", "--port", "0"], ProxyLine());

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }

    private static async Task<PortForward> StartAsync(string[] args, Regex ready)
    {
        var process = Process.Start(KindCluster.StartInfo(args)) ?? throw new InvalidOperationException("kubectl did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (ready.Match(line) is { Success: true } match)
                {
                    DrainInBackground(process);
                    return new PortForward(process, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below with what kubectl said.
        }
        process.Kill(entireProcessTree: true);
        var error = await process.StandardError.ReadToEndAsync();
        process.Dispose();
        throw new Xunit.Sdk.XunitException($"kubectl {string.Join(' ', args)} did not start listening: {error}");
    }

    /// <summary>Keeps reading kubectl's output so it never blocks on a full pipe.</summary>
    private static void DrainInBackground(Process process)
    {
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
    }

    [GeneratedRegex(@"^Forwarding from 127\.0\.0\.1:(\d+) ->")]
    private static partial Regex ForwardingLine();

    [GeneratedRegex(@"^Starting to serve on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ProxyLine();
}
