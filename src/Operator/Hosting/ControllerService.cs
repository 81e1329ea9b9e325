using Kollect.Operator.Controllers;
using Kollect.Operator.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kollect.Operator.Hosting;

/// <summary>
/// Runs the controllers from the first time this replica leads until the host stops. Registered
/// last, so the host stops it first on SIGTERM: in-flight exports get <c>--shutdown-timeout</c>
/// to finish before their work is cancelled, and only then is the lease released. A lost lease
/// pauses the controllers' work (they wait for the next term) but keeps their informers running,
/// so winning again needs no relist (issue #13). The controllers (Kubernetes client, sink gateway
/// with librdkafka) are built here, after the probe servers listen, not when the host resolves its
/// services: liveness must answer first (SPEC §10 start → /healthz).
/// </summary>
public sealed class ControllerService(IServiceProvider services, Leadership leadership) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave StartAsync at once; building the controllers is the slow part of starting.
        await Task.Yield();
        var controllers = services.GetRequiredService<OperatorControllers>();
        try
        {
            await leadership.WhenLeadingAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await controllers.LeadAsync(stoppingToken).ConfigureAwait(false);
    }
}
