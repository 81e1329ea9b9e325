namespace Kollect.Operator.Runtime;

/// <summary>
/// Gathers keys marked within a short window and hands them over once (SPEC issue #6: row changes
/// coalesced into one reconcile per namespace within 50 ms). The first mark of a quiet period
/// starts the window; marks during it join the same flush.
/// </summary>
public sealed class ChangeCoalescer : IDisposable
{
    private readonly TimeSpan _window;
    private readonly Action<IReadOnlyCollection<string>> _flush;
    private readonly ITimer _timer;
    private readonly object _gate = new();
    private HashSet<string> _pending = new(StringComparer.Ordinal);
    private bool _scheduled;

    public ChangeCoalescer(TimeSpan window, Action<IReadOnlyCollection<string>> flush, TimeProvider? time = null)
    {
        _window = window;
        _flush = flush;
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => Flush(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Mark(string key)
    {
        lock (_gate)
        {
            _pending.Add(key);
            if (!_scheduled)
            {
                _scheduled = true;
                _timer.Change(_window, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Mark(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            Mark(key);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Flush()
    {
        HashSet<string> batch;
        lock (_gate)
        {
            batch = _pending;
            _pending = new HashSet<string>(StringComparer.Ordinal);
            _scheduled = false;
        }
        if (batch.Count > 0)
        {
            _flush(batch);
        }
    }
}
