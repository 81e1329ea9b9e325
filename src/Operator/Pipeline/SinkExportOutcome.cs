namespace Kollect.Operator.Pipeline;

/// <summary>
/// The result of one sink ref in one export run. <see cref="Name"/> is the
/// <c>status.sinkExports[].name</c> (<c>event/&lt;sink&gt;</c>; cluster inventories
/// <c>event/&lt;namespace&gt;/&lt;sink&gt;</c>, since their refs may name equal sinks in two
/// namespaces). <see cref="Checksum"/> is the content checksum of all rows (SPEC §4);
/// <see cref="Parts"/> and <see cref="Bytes"/> count what was delivered; <see cref="DueAt"/> is
/// when debounced content becomes due again, or an open circuit lets one export probe the sink
/// (null when it never is: interval 0). <see cref="Retry"/> marks a transient failure (a timeout,
/// an unreachable sink, a broker or database that may recover): the caller retries with backoff.
/// </summary>
public sealed record SinkExportOutcome(
    string Name,
    string SinkNamespace,
    string SinkName,
    SinkExportState State,
    string Reason,
    string Message,
    int Parts,
    long Bytes,
    string? Checksum,
    DateTimeOffset? DueAt)
{
    public bool Retry { get; init; }
}
