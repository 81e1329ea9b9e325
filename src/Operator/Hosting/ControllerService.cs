using Kollect.Operator.Controllers;
using Microsoft.Extensions.Hosting;

namespace Kollect.Operator.Hosting;

/// <summary>
/// Runs the controllers while this replica leads. Registered last, so the host stops it first
/// on SIGTERM: in-flight exports get <c>--shutdown-timeout</c> to finish before their work is
/// cancelled, and only then is the lease released.
/// </summary>
public sealed class ControllerService(OperatorControllers controllers, Leadership leadership) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
