using System.Text;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Kafka;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Operator.Sinks;

/// <summary>The credentials an event sink's Secret holds, read per broker type (SPEC §2.1).</summary>
public sealed partial class EventSinkResolver
{
    /// <summary>
    /// The NATS credential of the Secret (SPEC §2.1), the first present of <c>creds</c> (a
    /// credentials file), <c>nkey</c> (a seed), <c>token</c>, <c>username</c> + <c>password</c>.
    /// </summary>
    private static NatsAuthOptions NatsAuth(ResolvedSecret secret, string secretField, SinkContext context)
    {
        var creds = SecretText(secret, SinkSecretKeys.Creds);
        var nkey = SecretText(secret, SinkSecretKeys.NKey);
        var token = SecretText(secret, SinkSecretKeys.Token);
        var username = SecretText(secret, SinkSecretKeys.Username);
        var password = SecretText(secret, SinkSecretKeys.Password);
        if (creds is not null)
        {
            if (NatsAuthOptions.DescribeCredsProblem(creds) is { } problem)
            {
                throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: {problem}");
            }

            try
            {
                NatsClientSettings.NKeyPublicKey(NatsAuthOptions.CredsSeed(creds)!);
            }
            catch (NatsException)
            {
                throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: the NKey seed block of key 'creds' does not hold an NKey seed");
            }

            return new NatsAuthOptions { Creds = creds };
        }

        if (nkey is not null)
        {
            try
            {
                NatsClientSettings.NKeyPublicKey(nkey);
            }
            catch (NatsException e)
            {
                throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: {e.Message}");
            }

            return new NatsAuthOptions { NKeySeed = nkey.Trim() };
        }

        if (token is not null)
        {
            return new NatsAuthOptions { Token = token };
        }

        if ((username is null) != (password is null))
        {
            var missing = username is null ? SinkSecretKeys.Username : SinkSecretKeys.Password;
            throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: key {missing} is missing (NATS needs creds, nkey, a token, or username and password)");
        }

        return username is not null ? new NatsAuthOptions { Username = username, Password = password } : NatsAuthOptions.None;
    }

    /// <summary>
    /// The Kafka SASL settings of the Secret (SPEC §2.1): <c>username</c> + <c>password</c> with an
    /// optional <c>mechanism</c>; <c>token</c> (SASL/OAUTHBEARER with a static token); or
    /// <c>mechanism: OAUTHBEARER</c> with <c>oauthbearer.client.id</c>, <c>oauthbearer.client.secret</c>,
    /// <c>oauthbearer.token.endpoint.url</c> and optional <c>oauthbearer.scope</c>,
    /// <c>oauthbearer.extensions</c> (OIDC client credentials).
    /// </summary>
    private (KafkaSaslCredentials? Sasl, KafkaOAuthBearerSettings? OAuthBearer) KafkaSasl(ResolvedSecret secret, string secretField, SinkContext context)
    {
        var username = SecretText(secret, SinkSecretKeys.Username);
        var password = SecretText(secret, SinkSecretKeys.Password);
        var token = SecretText(secret, SinkSecretKeys.Token);
        var clientId = SecretText(secret, KafkaOAuthBearerSettings.ClientIdKey);
        var oidc = clientId is not null || SecretText(secret, KafkaOAuthBearerSettings.TokenEndpointUrlKey) is not null || SecretText(secret, KafkaOAuthBearerSettings.ClientSecretKey) is not null;
        var mechanismSet = SecretText(secret, SinkSecretKeys.Mechanism) is not null;
        var mechanism = Mechanism(secret, secretField, context);
        if (token is not null || oidc || mechanism == KafkaSaslMechanism.OAuthBearer)
        {
            if (mechanismSet && mechanism != KafkaSaslMechanism.OAuthBearer)
            {
                throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: key mechanism is {KafkaProducerConfiguration.MechanismName(mechanism)} but keys token / oauthbearer.* are for OAUTHBEARER; set mechanism to OAUTHBEARER or remove them");
            }

            if (username is not null || password is not null)
            {
                throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: keys username/password and token / oauthbearer.* are both set; keep one SASL mechanism");
            }

            if (token is not null)
            {
                return (null, new KafkaOAuthBearerSettings { Token = token });
            }

            string[] missing = [.. new[] { KafkaOAuthBearerSettings.ClientIdKey, KafkaOAuthBearerSettings.ClientSecretKey, KafkaOAuthBearerSettings.TokenEndpointUrlKey }.Where(key => SecretText(secret, key) is null)];
            if (missing.Length > 0)
            {
                throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: mechanism OAUTHBEARER needs key token, or OIDC keys {string.Join(", ", missing)}");
            }

            var endpoint = SecretText(secret, KafkaOAuthBearerSettings.TokenEndpointUrlKey)!.Trim();
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            {
                throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: key {KafkaOAuthBearerSettings.TokenEndpointUrlKey} must be an absolute https:// URL");
            }

            // librdkafka fetches the token itself, so the guard can only judge the endpoint's name here (SPEC §6.5).
            var verdict = EndpointGuard.CheckHost(url.Host, options.EndpointPolicy);
            if (!verdict.Allowed)
            {
                throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: key {KafkaOAuthBearerSettings.TokenEndpointUrlKey}: {verdict.Message}");
            }

            return (null, new KafkaOAuthBearerSettings
            {
                ClientId = clientId,
                ClientSecret = SecretText(secret, KafkaOAuthBearerSettings.ClientSecretKey),
                TokenEndpointUrl = endpoint,
                Scope = SecretText(secret, KafkaOAuthBearerSettings.ScopeKey),
                Extensions = SecretText(secret, KafkaOAuthBearerSettings.ExtensionsKey),
            });
        }

        if ((username is null) != (password is null))
        {
            var missingKey = username is null ? SinkSecretKeys.Username : SinkSecretKeys.Password;
            throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: key {missingKey} is missing (SASL needs both username and password)");
        }

        return (username is not null ? new KafkaSaslCredentials(username, password!, mechanism) : null, null);
    }

    private KafkaSaslMechanism Mechanism(ResolvedSecret secret, string field, SinkContext context) =>
        SecretText(secret, SinkSecretKeys.Mechanism)?.Trim().ToUpperInvariant() switch
        {
            null or "" or "SCRAM-SHA-256" => KafkaSaslMechanism.ScramSha256,
            "SCRAM-SHA-512" => KafkaSaslMechanism.ScramSha512,
            "PLAIN" => KafkaSaslMechanism.Plain,
            "OAUTHBEARER" => KafkaSaslMechanism.OAuthBearer,
            // The value is not a credential, but echoing it is not needed to fix it either.
            _ => throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, field, $"{secret}: key mechanism must be PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER"),
        };

    private static (string? Cert, string? Key) ClientCertificate(ResolvedSecret secret, string field, SinkContext context)
    {
        var cert = SecretText(secret, SinkSecretKeys.TlsCrt);
        var key = SecretText(secret, SinkSecretKeys.TlsKey);
        if ((cert is null) != (key is null))
        {
            var missing = cert is null ? SinkSecretKeys.TlsCrt : SinkSecretKeys.TlsKey;
            throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, field, $"{secret}: key {missing} is missing (a client certificate needs both {SinkSecretKeys.TlsCrt} and {SinkSecretKeys.TlsKey})");
        }

        return (cert, key);
    }
}
