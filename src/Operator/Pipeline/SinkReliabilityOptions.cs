namespace Kollect.Operator.Pipeline;

/// <summary>
/// How the exporter keeps one sink's trouble away from every other (issue #13), with the defaults
/// in one place; <c>kollect run</c> sets them from <c>--sink-publish-timeout</c>,
/// <c>--sink-circuit-failures</c> and <c>--sink-circuit-cooldown</c>.
/// </summary>
public sealed record SinkReliabilityOptions
{
    /// <summary>
    /// The longest one ref's export (every part up to its broker acknowledgement) may take before it
    /// fails as transient and is retried: above Kafka's 30 s delivery timeout, so librdkafka's own
    /// verdict normally comes first and a late delivery cannot race a retry.
    /// </summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(35);

    /// <summary>Consecutive transient failures on one sink that open its circuit.</summary>
    public int CircuitFailures { get; init; } = 3;

    /// <summary>How long an open circuit fails fast before one export probes the broker again.</summary>
    public TimeSpan CircuitCooldown { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a reconcile waits for its refs' exports before it writes the status of those that
    /// finished; the others go on in the background and requeue the inventory when they end, so
    /// a blocked broker holds up neither the other refs nor the next change.
    /// </summary>
    public TimeSpan JoinWindow { get; init; } = TimeSpan.FromMilliseconds(500);
}
