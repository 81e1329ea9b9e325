namespace Kollect.Operator.Runtime;

/// <summary>Tunables of an <see cref="Informer"/>; defaults follow client-go's reflector.</summary>
public sealed record InformerOptions
{
    /// <summary>LIST page size (<c>limit</c>), so large collections come in pieces (SPEC §7).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Each watch asks the server to end after this long; the informer then re-watches.</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    /// <summary>Backoff after errors (jittered): 800 ms doubling to 30 s, as client-go's reflector.</summary>
    public ExponentialBackoff Backoff { get; init; } = new(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(30));
}
