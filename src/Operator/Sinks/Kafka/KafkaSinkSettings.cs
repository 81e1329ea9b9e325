namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// Everything needed to produce to one Kafka sink, resolved from a <c>KollectEventSink</c> and
/// its Secrets (SPEC §2.1, §6.1). Plain data: the mapping from the API model lives with the
/// controller.
/// </summary>
/// <remarks>
/// <see cref="ToString"/> delegates to the redacting <see cref="KafkaSaslCredentials"/> and
/// <see cref="KafkaTlsSettings"/>, so printing settings never prints a secret (SPEC §6.5).
/// </remarks>
public sealed record KafkaSinkSettings
{
    /// <summary>The largest delivery timeout the sink accepts: a stuck broker must not hold an export longer (SPEC §6.1).</summary>
    public static readonly TimeSpan MaxDeliveryTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Bootstrap brokers as <c>host:port</c> (<c>[v6addr]:port</c> for IPv6 literals).</summary>
    public required IReadOnlyList<string> Brokers { get; init; }

    /// <summary>Topic that receives the snapshot envelopes.</summary>
    public required string Topic { get; init; }

    /// <summary>SASL credentials; null means no SASL.</summary>
    public KafkaSaslCredentials? Sasl { get; init; }

    /// <summary>SASL/OAUTHBEARER (static token or OIDC); null means none. Exclusive with <see cref="Sasl"/>.</summary>
    public KafkaOAuthBearerSettings? OAuthBearer { get; init; }

    /// <summary>TLS settings; null (or <see cref="KafkaTlsSettings.Enabled"/> false without a client certificate) means plaintext.</summary>
    public KafkaTlsSettings? Tls { get; init; }

    /// <summary>Compression codec for produced batches.</summary>
    public KafkaCompression Compression { get; init; } = KafkaCompression.None;

    /// <summary>How long a message may wait for its acknowledgement, retries included; capped at <see cref="MaxDeliveryTimeout"/>.</summary>
    public TimeSpan DeliveryTimeout { get; init; } = MaxDeliveryTimeout;

    /// <summary>How long connecting to one broker (TCP, TLS, SASL) may take, and how long a probe waits for metadata.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the producer waits to batch messages. Zero: an export's parts are produced together
    /// already, and librdkafka still batches whatever queues while a request is in flight, so a
    /// linger only adds its own length to the change→ack latency (issue #14, docs/benchmarks.md).
    /// </summary>
    public TimeSpan Linger { get; init; } = TimeSpan.Zero;

    /// <summary>Largest message the producer sends (librdkafka <c>message.max.bytes</c>); larger exports are split first (SPEC §4, §6.1).</summary>
    public int MessageMaxBytes { get; init; } = 1_000_000;

    /// <summary>
    /// How long an unknown topic is waited for before messages to it fail. Kafka creates topics
    /// asynchronously, so a fresh topic may look missing for a moment.
    /// </summary>
    public TimeSpan TopicPropagationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Describes the settings; credentials and keys appear redacted.</summary>
    public override string ToString() =>
        $"KafkaSinkSettings {{ Brokers = [{string.Join(", ", Brokers ?? [])}], Topic = {Topic}, Sasl = {Sasl?.ToString() ?? "<none>"}, OAuthBearer = {OAuthBearer?.ToString() ?? "<none>"}, " +
        $"Tls = {Tls?.ToString() ?? "<none>"}, Compression = {Compression}, DeliveryTimeout = {DeliveryTimeout}, ConnectTimeout = {ConnectTimeout}, " +
        $"Linger = {Linger}, MessageMaxBytes = {MessageMaxBytes}, TopicPropagationTimeout = {TopicPropagationTimeout} }}";
}
