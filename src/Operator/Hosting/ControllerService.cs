using Kollect.Operator.Controllers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kollect.Operator.Hosting;

/// <summary>
/// Runs the controllers while this replica leads. Registered last, so the host stops it first
/// on SIGTERM: in-flight exports get <c>--shutdown-timeout</c> to finish before their work is
/// cancelled, and only then is the lease released. The controllers (Kubernetes client, sink
/// gateway with librdkafka) are built here, after the probe servers listen, not when the host
/// resolves its services: liveness must answer first (SPEC §10 start → /healthz).
/// </summary>
public sealed class ControllerService(IServiceProvider services, Leadership leadership) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Leave StartAsync at once; building the controllers is the slow part of starting.
        await Task.Yield();
        var controllers = services.GetRequiredService<OperatorControllers>();
        CancellationToken leading;
        try
        {
            leading = await leadership.WhenLeadingAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        using var working = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leading);
        await controllers.LeadAsync(working.Token).ConfigureAwait(false);
    }
}
