namespace Kollect.Operator.Runtime;

/// <summary>Tunables of an <see cref="Informer"/> or <see cref="ObjectStream"/>; defaults follow client-go's reflector.</summary>
public sealed record InformerOptions
{
    /// <summary>LIST page size (<c>limit</c>), so large collections come in pieces (SPEC §7).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>
    /// The LIST only learns the resourceVersion to watch from: one item is asked for and none is
    /// handed over, the receiver is only told the list is complete. For kinds whose events matter
    /// but whose objects must not be held or even fetched whole (Secrets).
    /// </summary>
    public bool VersionOnlyList { get; init; }

    /// <summary>Each watch asks the server to end after this long; the informer then re-watches.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    /// <summary>
    /// Backoff after errors (jittered): 800 ms doubling to 5 s. client-go's reflector goes to 30 s;
    /// that cap is what kept the operator's watches away for up to 30 s after an API server outage
    /// had ended, so the first change after it reached the sinks ~15 s late (issue #13). One
    /// operator's re-watch per kind every 5 s is no burden on a recovering server.
    /// </summary>
    public ExponentialBackoff Backoff { get; init; } = new(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(5));
}
