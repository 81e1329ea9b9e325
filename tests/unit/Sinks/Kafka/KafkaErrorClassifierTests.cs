using Confluent.Kafka;
using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Unit.Sinks.Kafka;

public sealed class KafkaErrorClassifierTests
{
    [Theory]
    [InlineData(ErrorCode.Local_Transport, KafkaErrorKind.Transient, "BrokerUnreachable")]
    [InlineData(ErrorCode.Local_AllBrokersDown, KafkaErrorKind.Transient, "BrokerUnreachable")]
    [InlineData(ErrorCode.Local_MsgTimedOut, KafkaErrorKind.Transient, "Timeout")]
    [InlineData(ErrorCode.RequestTimedOut, KafkaErrorKind.Transient, "Timeout")]
    [InlineData(ErrorCode.LeaderNotAvailable, KafkaErrorKind.Transient, "PartitionUnavailable")]
    [InlineData(ErrorCode.NotLeaderForPartition, KafkaErrorKind.Transient, "PartitionUnavailable")]
    [InlineData(ErrorCode.NotEnoughReplicas, KafkaErrorKind.Transient, "PartitionUnavailable")]
    [InlineData(ErrorCode.Local_QueueFull, KafkaErrorKind.Transient, "Backpressure")]
    [InlineData(ErrorCode.Local_Fatal, KafkaErrorKind.Transient, "ProducerReset")]
    [InlineData(ErrorCode.UnknownTopicOrPart, KafkaErrorKind.Terminal, "UnknownTopic")]
    [InlineData(ErrorCode.Local_UnknownTopic, KafkaErrorKind.Terminal, "UnknownTopic")]
    [InlineData(ErrorCode.TopicAuthorizationFailed, KafkaErrorKind.Terminal, "AuthorizationFailed")]
    [InlineData(ErrorCode.ClusterAuthorizationFailed, KafkaErrorKind.Terminal, "AuthorizationFailed")]
    [InlineData(ErrorCode.Local_Authentication, KafkaErrorKind.Terminal, "AuthenticationFailed")]
    [InlineData(ErrorCode.SaslAuthenticationFailed, KafkaErrorKind.Terminal, "AuthenticationFailed")]
    [InlineData(ErrorCode.UnsupportedSaslMechanism, KafkaErrorKind.Terminal, "AuthenticationFailed")]
    [InlineData(ErrorCode.Local_Ssl, KafkaErrorKind.Terminal, "TlsHandshakeFailed")]
    [InlineData(ErrorCode.MsgSizeTooLarge, KafkaErrorKind.Terminal, "MessageTooLarge")]
    [InlineData(ErrorCode.RecordListTooLarge, KafkaErrorKind.Terminal, "MessageTooLarge")]
    [InlineData(ErrorCode.InvalidConfig, KafkaErrorKind.Terminal, "InvalidConfiguration")]
    [InlineData(ErrorCode.Local_InvalidArg, KafkaErrorKind.Terminal, "InvalidConfiguration")]
    [InlineData(ErrorCode.PolicyViolation, KafkaErrorKind.Terminal, "InvalidConfiguration")]
    public void Errors_are_classified(ErrorCode code, KafkaErrorKind kind, string reason)
    {
        var error = KafkaErrorClassifier.Classify(code, "detail", "snapshots");

        Assert.Equal(kind, error.Kind);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(code.ToString(), error.Code);
        Assert.Contains("detail", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Terminal_messages_say_what_to_fix()
    {
        Assert.Contains("create it", KafkaErrorClassifier.Classify(ErrorCode.UnknownTopicOrPart, "x", "snapshots").Message, StringComparison.Ordinal);
        Assert.Contains("'snapshots'", KafkaErrorClassifier.Classify(ErrorCode.UnknownTopicOrPart, "x", "snapshots").Message, StringComparison.Ordinal);
        Assert.Contains("username, password and mechanism", KafkaErrorClassifier.Classify(ErrorCode.Local_Authentication, "x", "t").Message, StringComparison.Ordinal);
        Assert.Contains("WRITE", KafkaErrorClassifier.Classify(ErrorCode.TopicAuthorizationFailed, "x", "t").Message, StringComparison.Ordinal);
        Assert.Contains("caBundle", KafkaErrorClassifier.Classify(ErrorCode.Local_Ssl, "x", "t").Message, StringComparison.Ordinal);
        Assert.Contains("split", KafkaErrorClassifier.Oversized(2_000_000, 1_000_000, "t").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeout_caused_by_a_rejected_login_is_reported_as_the_login_failure()
    {
        var error = KafkaErrorClassifier.Classify(ErrorCode.Local_MsgTimedOut, "Local: Message timed out", "t", ErrorCode.Local_Authentication, "SASL authentication error: invalid credentials");

        Assert.Equal(KafkaErrorKind.Terminal, error.Kind);
        Assert.Equal("AuthenticationFailed", error.Reason);
        Assert.Contains("invalid credentials", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_connection_error_does_not_rewrite_an_unrelated_broker_answer()
    {
        var error = KafkaErrorClassifier.Classify(ErrorCode.UnknownTopicOrPart, "x", "t", ErrorCode.Local_Ssl, "handshake");
        Assert.Equal("UnknownTopic", error.Reason);
    }

    [Theory]
    [InlineData("ssl://b:9093/bootstrap: Disconnected (after 1ms in state SSL_HANDSHAKE)", ErrorCode.Local_Ssl)]
    [InlineData("SSL handshake failed: Disconnected: connecting to a PLAINTEXT broker listener?", ErrorCode.Local_Ssl)]
    [InlineData("sasl_plaintext://b:9092/bootstrap: SASL authentication error: Authentication failed", ErrorCode.Local_Authentication)]
    [InlineData("Disconnected (after 3ms in state AUTH_HANDSHAKE)", ErrorCode.Local_Authentication)]
    [InlineData("Connect to ipv4#127.0.0.1:1 failed: Connection refused", ErrorCode.Local_Transport)]
    public void Transport_errors_are_refined_by_the_state_they_happened_in(string reason, ErrorCode expected)
    {
        Assert.Equal(expected, KafkaErrorClassifier.RefineConnectionError(ErrorCode.Local_Transport, reason));
    }

    [Fact]
    public void Endpoint_refusals_name_the_broker_and_where_it_came_from()
    {
        var bootstrap = KafkaErrorClassifier.EndpointRefused(new KafkaBrokerAddress("10.0.0.5", 9092), "private address", advertised: false);
        var advertised = KafkaErrorClassifier.EndpointRefused(new KafkaBrokerAddress("169.254.169.254", 9092), "link-local", advertised: true);

        Assert.Equal(KafkaErrorKind.Terminal, bootstrap.Kind);
        Assert.Contains("10.0.0.5:9092 in spec.kafka.brokers", bootstrap.Message, StringComparison.Ordinal);
        Assert.Contains("169.254.169.254:9092 advertised by the cluster", advertised.Message, StringComparison.Ordinal);
    }
}
