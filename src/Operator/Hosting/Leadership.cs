namespace Kollect.Operator.Hosting;

/// <summary>
/// Whether this replica leads, shared by the hosted services: <see cref="LeaderElectionService"/>
/// begins and ends it, <see cref="ControllerService"/> waits for it and stops its work when it
/// ends. Without <c>--leader-elect</c> the replica leads from the start.
/// </summary>
public sealed class Leadership
{
    private readonly TaskCompletionSource<CancellationToken> _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _isLeader;

    /// <summary>True while this replica holds the lease (always, without leader election).</summary>
    public bool IsLeader => _isLeader;

    /// <summary>True when leader election runs, so a replica that does not lead is a standby.</summary>
    public bool Elects { get; init; }

    /// <summary>Set once the lease was lost: the process then exits 1 and is restarted as a standby.</summary>
    public bool Lost { get; private set; }

    /// <summary>A replica that leads from the start (leader election off).</summary>
    public static Leadership Always()
    {
        var leadership = new Leadership { Elects = false };
        leadership.Begin(CancellationToken.None);
        return leadership;
    }

    /// <summary>Completes with a token that is cancelled when leadership ends.</summary>
    public Task<CancellationToken> WhenLeadingAsync(CancellationToken cancellationToken) => _leading.Task.WaitAsync(cancellationToken);

    internal void Begin(CancellationToken leading)
    {
        _isLeader = true;
        _leading.TrySetResult(leading);
    }

    internal void End(bool lost)
    {
        _isLeader = false;
        Lost |= lost;
    }
}
