namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// A classified failure of a Kafka sink operation.
/// </summary>
/// <param name="Kind">Retry later, or needs a fix.</param>
/// <param name="Reason">Stable CamelCase token for conditions and the <c>reason</c> metric label (e.g. <c>UnknownTopic</c>).</param>
/// <param name="Message">What went wrong and what to change; never contains a secret.</param>
/// <param name="Code">librdkafka's error name (e.g. <c>UnknownTopicOrPart</c>), or <c>None</c> when the error was found before librdkafka was asked.</param>
public sealed record KafkaSinkError(KafkaErrorKind Kind, string Reason, string Message, string Code)
{
    /// <summary>Whether retrying later may succeed.</summary>
    public bool IsTransient => Kind == KafkaErrorKind.Transient;
}
