using Kollect.Operator.Cli;
using Kollect.Operator.Controllers;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Hosting;

/// <summary>
/// The <c>/healthz</c> <c>/livez</c> <c>/readyz</c> and <c>/metrics</c> servers (SPEC §7). Started
/// first, so liveness answers while the rest starts; ready when this replica is a standby, or when
/// it leads and every informer has listed once.
/// </summary>
public sealed partial class ProbeService(
    RunOptions options, KubeClientConfig kube, Leadership leadership, OperatorControllers controllers, MetricsRegistry metrics, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _log = loggers.CreateLogger("kollect");
    private ProbeServer? _health;
    private ProbeServer? _metrics;

    public bool IsReady => (leadership.Elects && !leadership.IsLeader) || controllers.IsReady;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _health = Bind(options.HealthProbeBindAddress, "--health-probe-bind-address", path => path switch
        {
            "/healthz" or "/livez" => ProbeResponse.Text(200, "ok\n"),
            "/readyz" => IsReady ? ProbeResponse.Text(200, "ok\n") : ProbeResponse.Text(503, "caches not synced\n"),
            _ => ProbeResponse.Text(404, "not found\n"),
        });
        _metrics = Bind(options.MetricsBindAddress, "--metrics-bind-address", path => path == "/metrics"
            ? new ProbeResponse(200, "text/plain; version=0.0.4; charset=utf-8", metrics.Render())
            : ProbeResponse.Text(404, "not found\n"));
        OperatorStarting(_log, kube.Server.ToString(), kube.Source, options.LeaderElect, _health?.EndPoint.ToString(), _metrics?.EndPoint.ToString());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_health is not null)
        {
            await _health.DisposeAsync().ConfigureAwait(false);
        }
        if (_metrics is not null)
        {
            await _metrics.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ProbeServer? Bind(string address, string setting, Func<string, ProbeResponse> route)
    {
        System.Net.IPEndPoint? endPoint;
        try
        {
            endPoint = ProbeServer.ParseBindAddress(address);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{setting}: {e.Message}", e);
        }
        return endPoint is null ? null : ProbeServer.Start(endPoint, route);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "operator starting: server {server}, {config}, leaderElect {leaderElect}, health {health}, metrics {metrics}")]
    private static partial void OperatorStarting(ILogger logger, string server, string config, bool leaderElect, string? health, string? metrics);
}
