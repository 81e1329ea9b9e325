using Confluent.Kafka;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// Maps librdkafka errors to <see cref="KafkaSinkError"/>: transient or terminal, a stable
/// reason, and a message that says what to fix (SPEC §6.1, §6.3). Pure.
/// </summary>
public static class KafkaErrorClassifier
{
    /// <summary>Reason for a configuration the sink cannot use.</summary>
    public const string InvalidConfiguration = "InvalidConfiguration";

    /// <summary>Reason for a broker address refused by the endpoint guard (SPEC §6.5).</summary>
    public const string EndpointDenied = "EndpointDenied";

    /// <summary>Reason for a message over the size limit.</summary>
    public const string MessageTooLarge = "MessageTooLarge";

    /// <summary>
    /// Classifies an error reported for a message or request.
    /// </summary>
    /// <param name="code">The error of the failed operation.</param>
    /// <param name="reason">librdkafka's text for it, already scrubbed of secrets.</param>
    /// <param name="topic">The sink's topic, named in messages.</param>
    /// <param name="connectionError">
    /// The last connection-level error the client reported (authentication, TLS), if any.
    /// librdkafka reports a rejected password or a failed TLS handshake as a client error and
    /// lets messages run into their timeout; with this, the timeout is reported as its cause.
    /// </param>
    /// <param name="connectionReason">librdkafka's text for <paramref name="connectionError"/>, scrubbed.</param>
    public static KafkaSinkError Classify(ErrorCode code, string reason, string topic, ErrorCode? connectionError = null, string? connectionReason = null)
    {
        if (connectionError is { } cause && IsConnectionCause(cause) && IsSymptomOfConnectionFailure(code))
        {
            return Classify(cause, connectionReason ?? reason, topic);
        }

        var name = code.ToString();
        return code switch
        {
            ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition => Terminal(
                "UnknownTopic", name,
                $"topic '{topic}' does not exist on the brokers ({reason}): create it (the operator never creates Kafka topics) or correct {EventSinkFields.SpecKafkaTopic}."),
            ErrorCode.TopicAuthorizationFailed => Terminal(
                "AuthorizationFailed", name,
                $"the brokers refused access to topic '{topic}' ({reason}): grant the sink's user WRITE and DESCRIBE on the topic, or use another user."),
            ErrorCode.ClusterAuthorizationFailed => Terminal(
                "AuthorizationFailed", name,
                $"the brokers refused the idempotent producer ({reason}): grant the sink's user IDEMPOTENT_WRITE on the cluster (needed before Kafka 2.8)."),
            ErrorCode.TransactionalIdAuthorizationFailed or ErrorCode.GroupAuthorizationFailed => Terminal(
                "AuthorizationFailed", name, $"the brokers refused an operation for the sink's user ({reason}): check its ACLs."),
            ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed or ErrorCode.IllegalSaslState => Terminal(
                "AuthenticationFailed", name,
                $"the brokers rejected the SASL login ({reason}): check username, password and mechanism in the sink's Secret."),
            ErrorCode.UnsupportedSaslMechanism => Terminal(
                "AuthenticationFailed", name,
                $"the brokers do not offer the Secret's SASL mechanism ({reason}): set 'mechanism' to one they enable (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)."),
            ErrorCode.Local_Ssl => Terminal(
                "TlsHandshakeFailed", name,
                $"the TLS handshake with the brokers failed ({reason}): check the CA ({EventSinkFields.SpecTlsCaBundle}/{EventSinkFields.CaSecretRef}), that the broker certificate matches the broker host name, and that the listener speaks TLS."),
            ErrorCode.MsgSizeTooLarge or ErrorCode.InvalidMsgSize or ErrorCode.RecordListTooLarge => Terminal(
                MessageTooLarge, name,
                $"the message is larger than the size limit of topic '{topic}' or of the producer ({reason}): exports must be split into smaller parts, or the topic's max.message.bytes raised."),
            ErrorCode.InvalidConfig or ErrorCode.Local_InvalidArg or ErrorCode.InvalidRequiredAcks or ErrorCode.PolicyViolation
                or ErrorCode.InvalidRecord or ErrorCode.InvalidMsg or ErrorCode.UnsupportedCompressionType or ErrorCode.UnsupportedVersion or ErrorCode.UnsupportedForMessageFormat
                or ErrorCode.TopicException or ErrorCode.Local_UnsupportedFeature or ErrorCode.Local_Conflict => Terminal(
                InvalidConfiguration, name,
                $"the brokers or librdkafka rejected the producer's request ({reason}): check the sink's settings against the topic's configuration."),
            ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown or ErrorCode.Local_Resolve or ErrorCode.BrokerNotAvailable
                or ErrorCode.NetworkException => Transient(
                "BrokerUnreachable", name, $"the brokers cannot be reached ({reason}); retrying."),
            ErrorCode.Local_MsgTimedOut or ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut or ErrorCode.Local_TimedOutQueue => Transient(
                "Timeout", name, $"the brokers did not acknowledge in time ({reason}); retrying."),
            ErrorCode.LeaderNotAvailable or ErrorCode.NotLeaderForPartition or ErrorCode.ReplicaNotAvailable
                or ErrorCode.NotEnoughReplicas or ErrorCode.NotEnoughReplicasAfterAppend or ErrorCode.KafkaStorageError
                or ErrorCode.Local_WaitCache or ErrorCode.FencedLeaderEpoch or ErrorCode.UnknownLeaderEpoch => Transient(
                "PartitionUnavailable", name, $"a partition of topic '{topic}' has no usable leader right now ({reason}); retrying."),
            ErrorCode.Local_QueueFull or ErrorCode.ThrottlingQuotaExceeded => Transient(
                "Backpressure", name, $"the producer is over its queue or quota limit ({reason}); retrying later."),
            ErrorCode.Local_Fatal or ErrorCode.OutOfOrderSequenceNumber or ErrorCode.UnknownProducerId or ErrorCode.InvalidProducerEpoch
                or ErrorCode.ProducerFenced or ErrorCode.Local_Destroy or ErrorCode.Local_PurgeQueue or ErrorCode.Local_PurgeInflight => Transient(
                "ProducerReset", name, $"the producer had to be reset ({reason}); the next attempt uses a new producer."),
            _ => Transient("BrokerError", name, $"the brokers reported {name} ({reason}); retrying."),
        };
    }

    /// <summary>Wraps a configuration problem found before librdkafka was asked.</summary>
    public static KafkaSinkError FromConfiguration(KafkaSinkConfigurationException exception) =>
        Terminal(InvalidConfiguration, "None", exception.Message);

    /// <summary>A broker refused by the endpoint guard (SPEC §6.5); terminal until the sink or the operator's flags change.</summary>
    public static KafkaSinkError EndpointRefused(KafkaBrokerAddress broker, string why, bool advertised) =>
        Terminal(EndpointDenied, "None", advertised
            ? $"broker {broker} advertised by the cluster is not an allowed sink endpoint ({why}); the operator does not follow the brokers there."
            : $"broker {broker} in {EventSinkFields.SpecKafkaBrokers} is not an allowed sink endpoint ({why}): use another address, or start the operator with the matching --allow-* flag.");

    /// <summary>A message larger than the producer's limit, refused before it reaches librdkafka.</summary>
    public static KafkaSinkError Oversized(long size, int limit, string topic) =>
        Terminal(MessageTooLarge, "None",
            $"the message for topic '{topic}' is {size} bytes, over the sink's limit of {limit} bytes: exports must be split into smaller parts before producing.");

    /// <summary>
    /// Names the cause behind a transport error. librdkafka reports a failed TLS handshake or
    /// SASL exchange as a plain transport error ("Disconnected … in state SSL_HANDSHAKE",
    /// "SSL handshake failed", "SASL authentication error"); only the text tells them apart.
    /// </summary>
    public static ErrorCode RefineConnectionError(ErrorCode code, string reason)
    {
        if (code is not (ErrorCode.Local_Transport or ErrorCode.Local_Fail))
        {
            return code;
        }

        if (reason.Contains("SSL_HANDSHAKE", StringComparison.Ordinal) || reason.Contains("SSL handshake failed", StringComparison.OrdinalIgnoreCase))
        {
            return ErrorCode.Local_Ssl;
        }

        return reason.Contains("AUTH_HANDSHAKE", StringComparison.Ordinal) || reason.Contains("AUTH_REQ", StringComparison.Ordinal)
            || reason.Contains("SASL authentication", StringComparison.OrdinalIgnoreCase)
                ? ErrorCode.Local_Authentication
                : code;
    }

    private static bool IsConnectionCause(ErrorCode code) =>
        code is ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed or ErrorCode.IllegalSaslState
            or ErrorCode.UnsupportedSaslMechanism or ErrorCode.Local_Ssl;

    private static bool IsSymptomOfConnectionFailure(ErrorCode code) =>
        code is ErrorCode.Local_MsgTimedOut or ErrorCode.Local_TimedOut or ErrorCode.RequestTimedOut or ErrorCode.Local_TimedOutQueue
            or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown;

    private static KafkaSinkError Terminal(string reason, string code, string message) => new(KafkaErrorKind.Terminal, reason, message, code);

    private static KafkaSinkError Transient(string reason, string code, string message) => new(KafkaErrorKind.Transient, reason, message, code);
}
