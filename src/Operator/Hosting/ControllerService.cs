using Kollect.Operator.Controllers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kollect.Operator.Hosting;

/// <summary>
/// Runs the controllers until the host stops, on a standby too: as controller-runtime's caches,
/// the informers and the collection run on every replica, while the controllers' workers take keys
/// only during a leadership term. A standby that wins (or a leader that wins its lease back after
/// losing it) resumes from warm caches, without a relist (issue #13). Registered last, so the host
/// stops it first on SIGTERM: in-flight exports get <c>--shutdown-timeout</c> to finish before
/// their work is cancelled, and only then is the lease released. The controllers (Kubernetes
/// client, sink gateway with librdkafka) are built here, after the probe servers listen, not when
/// the host resolves its services: liveness must answer first (SPEC §10 start → /healthz).
/// </summary>
public sealed class ControllerService(IServiceProvider services) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave StartAsync at once; building the controllers is the slow part of starting.
        await Task.Yield();
        var controllers = services.GetRequiredService<OperatorControllers>();
        await controllers.LeadAsync(stoppingToken).ConfigureAwait(false);
    }
}
