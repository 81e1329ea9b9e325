using Kollect.Operator.Controllers;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Hosting;

/// <summary>
/// The probe servers' hosted service: started first, stopped last. Readiness: this replica is a
/// standby, or it leads and every informer has listed once.
/// </summary>
public sealed partial class ProbeService(
    OperatorHostOptions options, KubeClientConfig kube, Leadership leadership, OperatorProbes probes, IServiceProvider services, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _log = loggers.CreateLogger("kollect");

    // The controllers are resolved only when readiness is asked while leading, so nothing heavy
    // is built on the way to the first /healthz answer.
    public bool IsReady => (leadership.Elects && !leadership.IsLeader) || (leadership.IsLeader && services.GetRequiredService<OperatorControllers>().IsReady);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        probes.ReadyWhen(() => IsReady);
        OperatorStarting(_log, kube.Server.ToString(), kube.Source, options.LeaderElect, probes.Health?.EndPoint.ToString(), probes.MetricsServer?.EndPoint.ToString());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await probes.DisposeAsync().ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Information, Message = "operator starting: server {server}, {config}, leaderElect {leaderElect}, health {health}, metrics {metrics}")]
    private static partial void OperatorStarting(ILogger logger, string server, string config, bool leaderElect, string? health, string? metrics);
}
