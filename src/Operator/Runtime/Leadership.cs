namespace Kollect.Operator.Runtime;

/// <summary>
/// Whether this replica leads, term by term (issue #13): <c>Hosting.LeaderElectionService</c>
/// begins a term when it acquires the Lease and ends it when the Lease is lost, then campaigns
/// again — the process never exits for a lost lease. Controllers wait for a term before they take
/// work and stop at once when it ends; informers, rows and queues stay warm, so a new term resumes
/// without a relist. <see cref="MayAct"/> is what the exporter asks before each publish: leading,
/// and the Lease renewed within the renew deadline. Without <c>--leader-elect</c> the replica
/// leads from the start, for good.
/// </summary>
public sealed class Leadership
{
    private readonly object _gate = new();
    private readonly List<Action> _began = [];
    private TaskCompletionSource<CancellationToken> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _term;
    private volatile Func<bool> _holds = () => true;
    private volatile bool _isLeader;
    private int _losses;

    /// <summary>True while this replica holds the lease (always, without leader election).</summary>
    public bool IsLeader => _isLeader;

    /// <summary>True when leader election runs, so a replica that does not lead is a standby.</summary>
    public bool Elects { get; init; }

    /// <summary>True once a term ended because the lease was lost (not released).</summary>
    public bool Lost => Volatile.Read(ref _losses) > 0;

    /// <summary>How many terms ended because the lease was lost.</summary>
    public int Losses => Volatile.Read(ref _losses);

    /// <summary>Leading, and sure enough of the lease to publish: it was renewed within the renew deadline.</summary>
    public bool MayAct => _isLeader && _holds();

    /// <summary>A replica that leads from the start (leader election off).</summary>
    public static Leadership Always()
    {
        var leadership = new Leadership { Elects = false };
        leadership.Begin();
        return leadership;
    }

    /// <summary>Completes, when this replica leads, with a token that is cancelled when that term ends.</summary>
    public Task<CancellationToken> WhenLeadingAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _next.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Calls <paramref name="began"/> at the start of every later term (not the current one).</summary>
    public void OnTermBegan(Action began)
    {
        lock (_gate)
        {
            _began.Add(began);
        }
    }

    /// <summary>Starts a term; <paramref name="holds"/> tells, at any moment of it, whether the lease is still surely ours.</summary>
    public void Begin(Func<bool>? holds = null)
    {
        List<Action> began;
        lock (_gate)
        {
            if (_isLeader)
            {
                return;
            }
            _holds = holds ?? (() => true);
            _term = new CancellationTokenSource();
            _isLeader = true;
            _next.TrySetResult(_term.Token);
            began = [.. _began];
        }
        foreach (var action in began)
        {
            action();
        }
    }

    /// <summary>Ends the term: its token is cancelled and the next <see cref="WhenLeadingAsync"/> waits for a new one.</summary>
    public void End(bool lost)
    {
        CancellationTokenSource? term;
        lock (_gate)
        {
            if (!_isLeader)
            {
                return;
            }
            _isLeader = false;
            if (lost)
            {
                _losses++;
            }
            term = _term;
            _term = null;
            _next = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        // Not disposed: work of the ended term may still hold the token.
        term?.Cancel();
    }
}
