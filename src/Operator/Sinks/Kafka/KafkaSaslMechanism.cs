namespace Kollect.Operator.Sinks.Kafka;

/// <summary>SASL mechanisms a Kafka sink Secret may name in its <c>mechanism</c> key (SPEC §2.1).</summary>
public enum KafkaSaslMechanism
{
    /// <summary><c>SCRAM-SHA-256</c>, the default when the Secret names none.</summary>
    ScramSha256,

    /// <summary><c>SCRAM-SHA-512</c>.</summary>
    ScramSha512,

    /// <summary><c>PLAIN</c>: the password travels as sent, so it should only be used over TLS.</summary>
    Plain,

    /// <summary><c>OAUTHBEARER</c>: a static token or OIDC client credentials (<see cref="KafkaOAuthBearerSettings"/>).</summary>
    OAuthBearer,
}
