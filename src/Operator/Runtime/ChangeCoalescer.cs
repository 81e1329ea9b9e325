namespace Kollect.Operator.Runtime;

/// <summary>
/// Hands marked keys over at once, then holds further marks for a short window and hands them
/// over together (issue #6: row changes coalesced into one reconcile per namespace within 50 ms).
/// A lone change therefore costs no waiting (the latency budget of SPEC §10), while a burst —
/// a relist, a rollout touching hundreds of objects — becomes at most one flush per window.
/// </summary>
public sealed class ChangeCoalescer : IDisposable
{
    private readonly TimeSpan _window;
    private readonly Action<IReadOnlyCollection<string>> _flush;
    private readonly ITimer _timer;
    private readonly object _gate = new();
    private HashSet<string> _pending = new(StringComparer.Ordinal);
    private bool _holding;

    public ChangeCoalescer(TimeSpan window, Action<IReadOnlyCollection<string>> flush, TimeProvider? time = null)
    {
        _window = window;
        _flush = flush;
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => EndWindow(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Mark(string key) => Mark([key]);

    public void Mark(IEnumerable<string> keys)
    {
        HashSet<string>? now = null;
        lock (_gate)
        {
            if (_holding)
            {
                _pending.UnionWith(keys);
                return;
            }
            now = new HashSet<string>(keys, StringComparer.Ordinal);
            if (now.Count == 0)
            {
                return;
            }
            _holding = true;
            _timer.Change(_window, Timeout.InfiniteTimeSpan);
        }
        _flush(now);
    }

    public void Dispose() => _timer.Dispose();

    private void EndWindow()
    {
        HashSet<string> batch;
        lock (_gate)
        {
            batch = _pending;
            _pending = new HashSet<string>(StringComparer.Ordinal);
            if (batch.Count == 0)
            {
                _holding = false;
                return;
            }
            // What gathered during the window goes now, and opens another window for what follows.
            _timer.Change(_window, Timeout.InfiniteTimeSpan);
        }
        _flush(batch);
    }
}
