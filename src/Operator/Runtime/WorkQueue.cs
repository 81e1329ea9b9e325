namespace Kollect.Operator.Runtime;

/// <summary>
/// A deduplicating, rate-limited work queue with client-go semantics (SPEC §7):
/// an item queued several times is handed out once; an item being processed is never handed
/// out twice, and if re-added meanwhile it is handed out again after <see cref="Done"/>;
/// <see cref="AddRateLimited"/> delays by the item's own exponential backoff, reset by <see cref="Forget"/>.
/// A delayed item is waiting once: of several <see cref="AddAfter"/>s the earliest ready time wins,
/// and <see cref="Add"/> makes it ready at once (as controller-runtime's priority queue).
/// </summary>
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly object _gate = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, int> _failures = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly ExponentialBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly Dictionary<T, (DateTimeOffset ReadyAt, ITimer Timer)> _waiting = [];
    private bool _shuttingDown;

    public WorkQueue(string name, ExponentialBackoff? backoff = null, TimeProvider? time = null)
    {
        Name = name;
        _backoff = backoff ?? ExponentialBackoff.WorkQueue;
        _time = time ?? TimeProvider.System;
    }

    public string Name { get; }

    /// <summary>Items waiting to be handed out (not counting delayed or in-process ones).</summary>
    public int Depth
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public bool IsShuttingDown
    {
        get
        {
            lock (_gate)
            {
                return _shuttingDown;
            }
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            if (_waiting.Remove(item, out var waiting))
            {
                waiting.Timer.Dispose();
            }
            if (_shuttingDown || !_dirty.Add(item))
            {
                return;
            }
            if (_processing.Contains(item))
            {
                return;
            }
            _queue.Enqueue(item);
        }
        _available.Release();
    }

    /// <summary>
    /// Adds the item after <paramref name="delay"/> (zero or less: at once). If it is already
    /// waiting, the earlier of the two ready times is kept.
    /// </summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }
            var readyAt = _time.GetUtcNow() + delay;
            if (_waiting.TryGetValue(item, out var waiting))
            {
                if (waiting.ReadyAt <= readyAt)
                {
                    return;
                }
                waiting.Timer.Change(delay, Timeout.InfiniteTimeSpan);
                _waiting[item] = (readyAt, waiting.Timer);
                return;
            }
            ITimer? timer = null;
            timer = _time.CreateTimer(_ => Ready(item, timer!), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _waiting[item] = (readyAt, timer);
            timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>How many items wait for their delay (not counted in <see cref="Depth"/>).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    private void Ready(T item, ITimer timer)
    {
        lock (_gate)
        {
            // A timer replaced by Add or an earlier AddAfter may still fire once; only the current one counts.
            if (!_waiting.TryGetValue(item, out var waiting) || !ReferenceEquals(waiting.Timer, timer))
            {
                return;
            }
        }
        Add(item);
    }

    /// <summary>
    /// Adds the item after its backoff delay and counts one more failure for it; with
    /// <paramref name="backoff"/>, that curve instead of the queue's (the count is the same one).
    /// </summary>
    public TimeSpan AddRateLimited(T item, ExponentialBackoff? backoff = null)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var failures = _failures.GetValueOrDefault(item);
            _failures[item] = failures + 1;
            delay = (backoff ?? _backoff).Delay(failures);
        }
        AddAfter(item, delay);
        return delay;
    }

    /// <summary>Consecutive failures recorded for the item.</summary>
    public int Failures(T item)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(item);
        }
    }

    /// <summary>Clears the item's backoff (after a successful reconcile).</summary>
    public void Forget(T item)
    {
        lock (_gate)
        {
            _failures.Remove(item);
        }
    }

    /// <summary>Waits for an item; returns false when the queue is shut down and drained.</summary>
    public async ValueTask<(bool Ok, T Item)> TryGetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.TryDequeue(out var item))
                {
                    _processing.Add(item);
                    _dirty.Remove(item);
                    return (true, item);
                }
                if (_shuttingDown)
                {
                    // Wake the next waiter too: every worker must see the shutdown.
                    _available.Release();
                    return (false, default!);
                }
            }
        }
    }

    /// <summary>Marks the item processed; if it was re-added meanwhile it is queued again now.</summary>
    public void Done(T item)
    {
        var requeue = false;
        lock (_gate)
        {
            _processing.Remove(item);
            if (_dirty.Contains(item) && !_shuttingDown)
            {
                _queue.Enqueue(item);
                requeue = true;
            }
        }
        if (requeue)
        {
            _available.Release();
        }
    }

    /// <summary>Stops accepting items; waiting workers return once the queue is empty.</summary>
    public void ShutDown()
    {
        lock (_gate)
        {
            if (_shuttingDown)
            {
                return;
            }
            _shuttingDown = true;
            _queue.Clear();
            _dirty.Clear();
            foreach (var (_, timer) in _waiting.Values)
            {
                timer.Dispose();
            }
            _waiting.Clear();
        }
        _available.Release();
    }

    public void Dispose()
    {
        ShutDown();
        _available.Dispose();
    }
}
