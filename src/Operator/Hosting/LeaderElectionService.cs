using Kollect.Operator.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Hosting;

/// <summary>
/// Campaigns for the Lease and renews it while the host runs (SPEC §7). Registered before
/// <see cref="ControllerService"/>, so the host stops it after the controllers have drained: the
/// lease is renewed while in-flight exports finish, then released. A lost lease ends the
/// controllers' work and stops the process with exit code 1, as controller-runtime does.
/// </summary>
public sealed partial class LeaderElectionService(LeaderElector elector, Leadership leadership, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _log = loggers.CreateLogger("leader-election");
    private CancellationTokenSource? _leading;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await elector.AcquireAsync(stoppingToken).ConfigureAwait(false))
        {
            return;
        }
        _leading = new CancellationTokenSource();
        leadership.Begin(_leading.Token);
        if (await elector.RenewUntilLostAsync(stoppingToken).ConfigureAwait(false))
        {
            leadership.End(lost: true);
            await _leading.CancelAsync().ConfigureAwait(false);
            LeadershipLost(_log);
            lifetime.StopApplication();
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
        _leading?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "leadership lost; exiting")]
    private static partial void LeadershipLost(ILogger logger);
}
