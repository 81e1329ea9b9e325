using k8s.Models;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Runtime;

/// <summary>
/// Ours because KubernetesClient.Aot has no leader election (it lacks <c>k8s.LeaderElection</c>); the
/// Lease is the library's typed model.
/// Acquires and renews a Lease (optimistic concurrency on its resourceVersion): renewal that fails
/// past the renew deadline loses it. <see cref="ReleaseAsync"/> gives it up (empty holder, 1 s
/// duration) so a standby takes over at once rather than after the lease expires (SPEC §7).
/// <c>Hosting.LeaderElectionService</c> drives it.
/// </summary>
public sealed partial class LeaderElector
{
    private readonly KubeClient _client;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Gauge? _leaderGauge;
    private string? _observedRecord;
    private DateTimeOffset _observedAt;
    private volatile bool _isLeader;
    private long _lastRenewTicks;
    private long _observedExpiryTicks;

    public LeaderElector(KubeClient client, LeaderElectionOptions options, ILoggerFactory loggers, MetricsRegistry? metrics = null, TimeProvider? time = null)
    {
        options.Validate();
        _client = client;
        _options = options;
        _log = loggers.CreateLogger("leader-election");
        _time = time ?? TimeProvider.System;
        _leaderGauge = metrics?.Gauge("kollect_leader", "1 while this process holds the leader lease, else 0.");
        _leaderGauge?.Set(0);
    }

    public bool IsLeader => _isLeader;

    /// <summary>
    /// Leading, and the lease was last written by us less than the renew deadline ago: the point
    /// until which no other replica can have taken it over (it waits a whole lease duration). The
    /// exporter asks this before each publish, which closes the gap between the deadline passing
    /// and the renew loop noticing it (up to a retry period, longer when a request hangs).
    /// </summary>
    public bool HoldsLease => _isLeader && _time.GetUtcNow() - LastRenew < _options.RenewDeadline;

    private DateTimeOffset LastRenew
    {
        get => new(Interlocked.Read(ref _lastRenewTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _lastRenewTicks, value.UtcTicks);
    }

    public LeaderElectionOptions Options => _options;

    /// <summary>Retries every retry period (jittered) until the lease is ours; false if cancelled first.</summary>
    public async Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        Waiting(_log, $"{_options.Namespace}/{_options.LeaseName}", _options.Identity);
        while (!cancellationToken.IsCancellationRequested)
        {
            var attempted = _time.GetUtcNow();
            if (await TryAcquireOrRenewAsync(cancellationToken).ConfigureAwait(false))
            {
                LastRenew = attempted;
                SetLeader(true);
                Acquired(_log, $"{_options.Namespace}/{_options.LeaseName}", _options.Identity);
                return true;
            }
            try
            {
                await Task.Delay(NextAttempt(), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    // Every retry period, but no later than just after the observed holder's lease runs out: a
    // standby then takes over within the lease duration (plus one observation period) of the
    // holder's last renewal rather than up to a whole retry period after that (issue #13).
    private TimeSpan NextAttempt()
    {
        var next = Jittered(_options.RetryPeriod);
        var untilExpiry = Interlocked.Read(ref _observedExpiryTicks) is var ticks and > 0
            ? new DateTimeOffset(ticks, TimeSpan.Zero) - _time.GetUtcNow() + TimeSpan.FromMilliseconds(50)
            : next;
        return untilExpiry > TimeSpan.Zero && untilExpiry < next ? untilExpiry : next;
    }

    /// <summary>Renews every retry period until the lease is lost (true) or <paramref name="cancellationToken"/> fires (false).</summary>
    public async Task<bool> RenewUntilLostAsync(CancellationToken cancellationToken)
    {
        var lastRenew = LastRenew;
        while (true)
        {
            try
            {
                await Task.Delay(_options.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var left = lastRenew + _options.RenewDeadline - _time.GetUtcNow();
            attempt.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            bool renewed;
            var attempted = _time.GetUtcNow();
            try
            {
                renewed = await TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (OperationCanceledException)
            {
                renewed = false;
            }
            if (renewed)
            {
                // From when the write was sent: the lease's renewTime is no later than that.
                lastRenew = attempted;
                LastRenew = attempted;
            }
            else if (_time.GetUtcNow() - lastRenew >= _options.RenewDeadline || !await StillHolderAsync(cancellationToken).ConfigureAwait(false))
            {
                Lost(_log, $"{_options.Namespace}/{_options.LeaseName}", _options.Identity);
                SetLeader(false);
                return true;
            }
        }
    }

    private async Task<bool> StillHolderAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await _client.TryGetAsync(KubeResource.Leases, _options.Namespace, _options.LeaseName, KubeJsonContext.Default.V1Lease, cancellationToken).ConfigureAwait(false);
            return lease?.Spec?.HolderIdentity == _options.Identity;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            // Cannot tell: keep leading until the renew deadline decides.
            return true;
        }
    }

    /// <summary>One attempt: create the lease, renew it if ours, or take it over if expired or released.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            var lease = await _client.TryGetAsync(KubeResource.Leases, _options.Namespace, _options.LeaseName, KubeJsonContext.Default.V1Lease, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                var created = new V1Lease
                {
                    ApiVersion = KubeResource.Leases.ApiVersion,
                    Kind = V1Lease.KubeKind,
                    Metadata = new V1ObjectMeta { Name = _options.LeaseName, NamespaceProperty = _options.Namespace },
                    Spec = NewSpec(now, transitions: 0),
                };
                await _client.CreateAsync(KubeResource.Leases, _options.Namespace, created, KubeJsonContext.Default.V1Lease, cancellationToken).ConfigureAwait(false);
                return true;
            }
            var spec = lease.Spec ?? new V1LeaseSpec();
            var record = $"{spec.HolderIdentity}|{spec.RenewTime:O}|{spec.LeaseDurationSeconds}";
            if (record != _observedRecord)
            {
                // Judge expiry by our own clock since we last saw the record change, as client-go
                // does: the holder's clock may be skewed against ours.
                _observedRecord = record;
                _observedAt = now;
            }
            var heldByOther = !string.IsNullOrEmpty(spec.HolderIdentity) && spec.HolderIdentity != _options.Identity;
            var duration = TimeSpan.FromSeconds(spec.LeaseDurationSeconds ?? (int)_options.LeaseDuration.TotalSeconds);
            if (heldByOther && _observedAt + duration > now)
            {
                Interlocked.Exchange(ref _observedExpiryTicks, (_observedAt + duration).UtcTicks);
                return false;
            }
            lease.Spec = spec.HolderIdentity == _options.Identity
                ? NewSpec(now, spec.LeaseTransitions ?? 0, spec.AcquireTime ?? now.UtcDateTime)
                : NewSpec(now, (spec.LeaseTransitions ?? 0) + 1);
            await _client.UpdateAsync(KubeResource.Leases, _options.Namespace, _options.LeaseName, lease, KubeJsonContext.Default.V1Lease, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e is KubeConflictException || e.IsAlreadyExists)
        {
            // Someone else wrote the lease between our read and write; try again next period.
            return false;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or IOException)
        {
            LeaseUnavailable(_log, $"{_options.Namespace}/{_options.LeaseName}", e.Message);
            return false;
        }
    }

    /// <summary>Gives the lease up if we hold it, so a standby need not wait for it to expire.</summary>
    public async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(_options.RenewDeadline);
        try
        {
            var lease = await _client.TryGetAsync(KubeResource.Leases, _options.Namespace, _options.LeaseName, KubeJsonContext.Default.V1Lease, timeout.Token).ConfigureAwait(false);
            if (lease?.Spec is not { } spec || spec.HolderIdentity != _options.Identity)
            {
                return;
            }
            var now = _time.GetUtcNow().UtcDateTime;
            spec.HolderIdentity = "";
            spec.LeaseDurationSeconds = 1;
            spec.RenewTime = now;
            spec.AcquireTime = now;
            await _client.UpdateAsync(KubeResource.Leases, _options.Namespace, _options.LeaseName, lease, KubeJsonContext.Default.V1Lease, timeout.Token).ConfigureAwait(false);
            Released(_log, $"{_options.Namespace}/{_options.LeaseName}", _options.Identity);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or IOException or OperationCanceledException)
        {
            NotReleased(_log, e.Message);
        }
        finally
        {
            SetLeader(false);
        }
    }

    private V1LeaseSpec NewSpec(DateTimeOffset now, int transitions, DateTime? acquired = null) => new()
    {
        HolderIdentity = _options.Identity,
        LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds),
        AcquireTime = acquired ?? now.UtcDateTime,
        RenewTime = now.UtcDateTime,
        LeaseTransitions = transitions,
    };

    private void SetLeader(bool leading)
    {
        _isLeader = leading;
        _leaderGauge?.Set(leading ? 1 : 0);
    }

    private static TimeSpan Jittered(TimeSpan period) => period * (1 + (Random.Shared.NextDouble() * 0.2));

    [LoggerMessage(Level = LogLevel.Information, Message = "waiting to acquire the leader lease {lease} as {identity}")]
    private static partial void Waiting(ILogger logger, string lease, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "acquired the leader lease {lease} as {identity}")]
    private static partial void Acquired(ILogger logger, string lease, string identity);

    [LoggerMessage(Level = LogLevel.Error, Message = "lost the leader lease {lease} as {identity}; exports stop until it is won again")]
    private static partial void Lost(ILogger logger, string lease, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not read or write the leader lease {lease}: {error}")]
    private static partial void LeaseUnavailable(ILogger logger, string lease, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "released the leader lease {lease} as {identity}")]
    private static partial void Released(ILogger logger, string lease, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not release the leader lease; standbys take over when it expires: {error}")]
    private static partial void NotReleased(ILogger logger, string error);
}
