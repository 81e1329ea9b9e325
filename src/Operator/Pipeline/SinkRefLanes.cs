namespace Kollect.Operator.Pipeline;

/// <summary>
/// One lane per (inventory, sink ref) (issue #13, SPEC §6.3 "only for that sink"): at most one
/// export of a ref runs at a time, and it runs on its own. The reconcile that starts it waits only
/// a join window; an export still running then goes on in the background, and when it ends its
/// outcome waits here until the next reconcile of the inventory (which the lane requests) writes
/// it into the status. Meanwhile that reconcile and every later one export the inventory's other
/// refs as usual, so a broker that blocks one ref delays nothing else. Memory is one entry per
/// ref with work running or a result waiting, whatever the broker does.
/// </summary>
public sealed class SinkRefLanes
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    /// <summary>Lanes with an export running or a result waiting (for tests and metrics).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _lanes.Count;
            }
        }
    }

    /// <summary>Takes the outcome of a background export that ended since the last reconcile.</summary>
    public bool TryTakeFinished(string lane, out SinkExportOutcome outcome)
    {
        lock (_gate)
        {
            if (_lanes.TryGetValue(lane, out var entry) && entry.Finished is { } finished)
            {
                _lanes.Remove(lane);
                outcome = finished;
                return true;
            }
        }
        outcome = null!;
        return false;
    }

    /// <summary>True while an export of <paramref name="lane"/> runs.</summary>
    public bool IsBusy(string lane)
    {
        lock (_gate)
        {
            return _lanes.TryGetValue(lane, out var entry) && entry.Finished is null;
        }
    }

    /// <summary>Starts <paramref name="export"/> in <paramref name="lane"/>, which must not be busy.</summary>
    public Task<SinkExportOutcome> Start(string lane, Func<Task<SinkExportOutcome>> export)
    {
        var entry = new Lane();
        lock (_gate)
        {
            _lanes[lane] = entry;
        }
        var running = Task.Run(export);
        entry.Running = running;
        _ = running.ContinueWith(t => Ended(lane, entry, t), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return running;
    }

    /// <summary>
    /// After the join window: the outcome of <paramref name="running"/> when it has ended (a
    /// cancelled or failed export rethrows), or false when it goes on in the background and calls
    /// <paramref name="ended"/> once its outcome waits in the lane.
    /// </summary>
    public bool TryComplete(string lane, Task<SinkExportOutcome> running, Action ended, out SinkExportOutcome outcome)
    {
        lock (_gate)
        {
            if (!running.IsCompleted)
            {
                if (_lanes.TryGetValue(lane, out var entry) && ReferenceEquals(entry.Running, running))
                {
                    entry.Ended = ended;
                }
                outcome = null!;
                return false;
            }
            if (_lanes.TryGetValue(lane, out var done) && ReferenceEquals(done.Running, running))
            {
                _lanes.Remove(lane);
            }
        }
        outcome = running.GetAwaiter().GetResult();
        return true;
    }

    /// <summary>Drops the lanes of an inventory that is gone (<paramref name="prefix"/> is its lane prefix).</summary>
    public void ForgetAll(string prefix)
    {
        lock (_gate)
        {
            foreach (var lane in _lanes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            {
                if (_lanes[lane].Finished is not null)
                {
                    _lanes.Remove(lane);
                }
            }
        }
    }

    private void Ended(string lane, Lane entry, Task<SinkExportOutcome> running)
    {
        Action? ended;
        lock (_gate)
        {
            ended = entry.Ended;
            if (ended is null || !_lanes.TryGetValue(lane, out var current) || !ReferenceEquals(current, entry))
            {
                // The reconcile that started it is still waiting and takes the outcome itself.
                return;
            }
            if (running.IsCompletedSuccessfully)
            {
                entry.Finished = running.Result;
            }
            else
            {
                // Cancelled (leadership lost, shutdown) or a bug: nothing to record; the reconcile exports again.
                _lanes.Remove(lane);
            }
        }
        ended();
    }

    private sealed class Lane
    {
        public Task<SinkExportOutcome>? Running;
        public Action? Ended;
        public SinkExportOutcome? Finished;
    }
}
