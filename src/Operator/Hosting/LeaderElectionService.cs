using Kollect.Operator.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Hosting;

/// <summary>
/// Campaigns for the Lease and renews it while the host runs (SPEC §7). Registered before
/// <see cref="ControllerService"/>, so the host stops it after the controllers have drained: the
/// lease is renewed while in-flight exports finish, then released. A lost lease (an API server
/// outage longer than the renew deadline, or another holder) ends the term — exports stop at once
/// — and the replica campaigns again with its watches and rows kept (issue #13); unlike
/// controller-runtime it does not exit, which would cost a full relist of every collected kind.
/// </summary>
public sealed partial class LeaderElectionService(LeaderElector elector, Leadership leadership, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _log = loggers.CreateLogger("leader-election");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await elector.AcquireAsync(stoppingToken).ConfigureAwait(false))
            {
                return;
            }
            leadership.Begin(() => elector.HoldsLease);
            if (!await elector.RenewUntilLostAsync(stoppingToken).ConfigureAwait(false))
            {
                return;
            }
            leadership.End(lost: true);
            LeadershipLost(_log, leadership.Losses);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (leadership.IsLeader)
        {
            leadership.End(lost: false);
            await elector.ReleaseAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "leadership lost ({losses} time(s) so far); exports stopped, watches and rows kept; campaigning again")]
    private static partial void LeadershipLost(ILogger logger, int losses);
}
