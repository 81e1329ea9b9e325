using System.Text;
using System.Text.Json.Nodes;
using Kollect.Operator.Sinks.Kafka;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Operator.Sinks;

/// <summary>
/// Maps a defaulted <c>KollectEventSink</c> and its Secrets to publisher settings (SPEC §2.1):
/// <c>kafka.brokers</c>/<c>nats.url</c> fall back to <c>spec.endpoint</c>, the Secret comes from
/// the block's <c>secretRef</c> or <c>spec.secretRef</c>, a present <c>tls</c> block turns TLS on.
/// Pure apart from the injected Secret lookup, so the CLI (local manifests) and the reconciler
/// (API server) resolve a sink the same way.
/// </summary>
public sealed class EventSinkResolver(SinkSecretLookup secrets, EventSinkResolverOptions options)
{
    /// <summary>Resolves the sink; never throws for a bad sink or Secret, and no message carries a secret value.</summary>
    public EventSinkResolution Resolve(JsonObject sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var metadata = sink["metadata"] as JsonObject;
        var ns = Text(metadata?["namespace"]) is { Length: > 0 } given ? given : "default";
        var name = Text(metadata?["name"]) ?? "(no name)";
        var spec = sink["spec"] as JsonObject;
        var type = Text(spec?["type"]) ?? "";
        var context = new SinkContext($"{ns}/{name}", ns);
        var result = new EventSinkResolution { Sink = context.Sink, Type = type, EndpointPolicy = options.EndpointPolicy };
        try
        {
            return type switch
            {
                "kafka" => result with { Kafka = ResolveKafka(spec!, context) },
                "nats" => result with { Nats = ResolveNats(spec!, context) },
                _ => throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, "spec.type", $"must be kafka or nats, not '{type}'"),
            };
        }
        catch (ResolveException failure)
        {
            return result with { Failure = failure.Failure };
        }
    }

    private KafkaSinkSettings ResolveKafka(JsonObject spec, SinkContext context)
    {
        var block = spec["kafka"] as JsonObject ?? throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, "spec.kafka", "is required when spec.type is kafka");
        var brokers = (block["brokers"] as JsonArray)?.Select(Text).OfType<string>().Select(b => b.Trim()).Where(b => b.Length > 0).ToList() ?? [];
        if (brokers.Count == 0)
        {
            // SPEC §2.1: an empty broker list falls back to spec.endpoint, comma-separated.
            brokers = (Text(spec["endpoint"]) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        if (brokers.Count == 0)
        {
            throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, "spec.kafka.brokers", "is empty and spec.endpoint is not set; list the bootstrap brokers as host:port");
        }

        var topic = Text(block["topic"]) is { Length: > 0 } t ? t : throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, "spec.kafka.topic", "is required");
        var (secretField, secret) = ReadSecret(spec, "kafka", context);
        KafkaSaslCredentials? sasl = null;
        KafkaOAuthBearerSettings? oauthBearer = null;
        string? clientCert = null, clientKey = null;
        if (secret is not null)
        {
            (sasl, oauthBearer) = KafkaSasl(secret, secretField, context);
            (clientCert, clientKey) = ClientCertificate(secret, secretField, context);
        }

        var (tlsOn, caPem, insecure) = ReadTls(spec, context);
        KafkaTlsSettings? tls = tlsOn || clientCert is not null
            ? new KafkaTlsSettings { Enabled = tlsOn, CaPem = caPem, InsecureSkipVerify = insecure, ClientCertificatePem = clientCert, ClientKeyPem = clientKey }
            : null;
        return new KafkaSinkSettings
        {
            Brokers = brokers,
            Topic = topic,
            Sasl = sasl,
            OAuthBearer = oauthBearer,
            Tls = tls,
            Compression = Compression(spec),
            ConnectTimeout = options.ConnectTimeout,
        };
    }

    private NatsSinkOptions ResolveNats(JsonObject spec, SinkContext context)
    {
        var block = spec["nats"] as JsonObject ?? throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, "spec.nats", "is required when spec.type is nats");
        var url = Text(block["url"]) is { Length: > 0 } u ? u.Trim() : Text(spec["endpoint"])?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, "spec.nats.url", "is empty and spec.endpoint is not set; set nats://host:4222");
        }

        var subject = Text(block["subject"]) is { Length: > 0 } s ? s : throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, "spec.nats.subject", "is required");
        var (secretField, secret) = ReadSecret(spec, "nats", context);
        var auth = NatsAuthOptions.None;
        string? clientCert = null, clientKey = null;
        if (secret is not null)
        {
            auth = NatsAuth(secret, secretField, context);
            (clientCert, clientKey) = ClientCertificate(secret, secretField, context);
        }

        var (tlsOn, caPem, insecure) = ReadTls(spec, context);
        var tls = tlsOn || clientCert is not null
            ? new NatsTlsOptions { Enabled = tlsOn, CaPem = caPem, InsecureSkipVerify = insecure, ClientCertificatePem = clientCert, ClientKeyPem = clientKey }
            : NatsTlsOptions.None;
        return new NatsSinkOptions
        {
            Url = url,
            Subject = subject,
            Stream = NatsStreamName.Normalize(Text(block["stream"])),
            Provisioning = Text((spec["provisioning"] as JsonObject)?["mode"]) == "existing" ? NatsProvisioningMode.Existing : NatsProvisioningMode.Ensure,
            Auth = auth,
            Tls = tls,
            EndpointPolicy = options.EndpointPolicy,
            ConnectTimeout = options.ConnectTimeout,
        };
    }

    /// <summary>
    /// The NATS credential of the Secret (SPEC §2.1), the first present of <c>creds</c> (a
    /// credentials file), <c>nkey</c> (a seed), <c>token</c>, <c>username</c> + <c>password</c>.
    /// </summary>
    private static NatsAuthOptions NatsAuth(ResolvedSecret secret, string secretField, SinkContext context)
    {
        var creds = SecretText(secret, "creds");
        var nkey = SecretText(secret, "nkey");
        var token = SecretText(secret, "token");
        var username = SecretText(secret, "username");
        var password = SecretText(secret, "password");
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
            var missing = username is null ? "username" : "password";
            throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: key {missing} is missing (NATS needs creds, nkey, a token, or username and password)");
        }

        return username is not null ? new NatsAuthOptions { Username = username, Password = password } : NatsAuthOptions.None;
    }

    private (string Field, ResolvedSecret? Secret) ReadSecret(JsonObject spec, string blockName, SinkContext context)
    {
        var field = $"spec.{blockName}.secretRef";
        var reference = (spec[blockName] as JsonObject)?["secretRef"] as JsonObject;
        if (reference is null)
        {
            field = "spec.secretRef";
            reference = spec["secretRef"] as JsonObject;
        }

        return reference is null ? (field, null) : (field, Lookup(reference, field, context));
    }

    private ResolvedSecret Lookup(JsonObject reference, string field, SinkContext context)
    {
        var name = Text(reference["name"]) is { Length: > 0 } n ? n : throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, field + ".name", "is required");
        var ns = Text(reference["namespace"]) is { Length: > 0 } given ? given : context.Namespace;
        if (ns != context.Namespace && !options.AllowCrossNamespaceSecrets)
        {
            // SPEC §6.5: another namespace's Secret only where the operator allows it.
            throw context.Fail(
                EventSinkResolveFailure.SecretResolveFailed,
                field + ".namespace",
                $"Secret {ns}/{name} is in another namespace than the sink; move the Secret to {context.Namespace} or start the operator with --allow-cross-namespace-secrets");
        }

        var data = secrets(ns, name) ?? throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, field, $"Secret {ns}/{name} not found");
        return new ResolvedSecret($"Secret {ns}/{name}", data);
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
        var username = SecretText(secret, "username");
        var password = SecretText(secret, "password");
        var token = SecretText(secret, "token");
        var clientId = SecretText(secret, KafkaOAuthBearerSettings.ClientIdKey);
        var oidc = clientId is not null || SecretText(secret, KafkaOAuthBearerSettings.TokenEndpointUrlKey) is not null || SecretText(secret, KafkaOAuthBearerSettings.ClientSecretKey) is not null;
        var mechanismSet = SecretText(secret, "mechanism") is not null;
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
            var missingKey = username is null ? "username" : "password";
            throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, secretField, $"{secret}: key {missingKey} is missing (SASL needs both username and password)");
        }

        return (username is not null ? new KafkaSaslCredentials(username, password!, mechanism) : null, null);
    }

    private KafkaSaslMechanism Mechanism(ResolvedSecret secret, string field, SinkContext context) =>
        SecretText(secret, "mechanism")?.Trim().ToUpperInvariant() switch
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
        var cert = SecretText(secret, "tls.crt");
        var key = SecretText(secret, "tls.key");
        if ((cert is null) != (key is null))
        {
            var missing = cert is null ? "tls.crt" : "tls.key";
            throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, field, $"{secret}: key {missing} is missing (a client certificate needs both tls.crt and tls.key)");
        }

        return (cert, key);
    }

    private (bool On, string? CaPem, bool Insecure) ReadTls(JsonObject spec, SinkContext context)
    {
        if (spec["tls"] is not JsonObject tls)
        {
            return (false, null, false);
        }

        var insecure = tls["insecureSkipVerify"] is JsonValue v && v.TryGetValue<bool>(out var flag) && flag;
        string? caPem = null;
        if (Text(tls["caBundle"]) is { Length: > 0 } bundle)
        {
            try
            {
                caPem = Encoding.UTF8.GetString(Convert.FromBase64String(bundle));
            }
            catch (FormatException)
            {
                throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, "spec.tls.caBundle", "is not valid base64; encode the PEM CA bundle with base64");
            }
        }
        else if (tls["caSecretRef"] is JsonObject caRef)
        {
            var secret = Lookup(caRef, "spec.tls.caSecretRef", context);
            caPem = SecretText(secret, "ca.crt") ?? SecretText(secret, "tls.crt")
                ?? throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, "spec.tls.caSecretRef", $"{secret}: has neither key ca.crt nor tls.crt");
        }

        return (true, caPem, insecure);
    }

    private static KafkaCompression Compression(JsonObject spec) =>
        Text((spec["serialization"] as JsonObject)?["compression"]) switch
        {
            "gzip" => KafkaCompression.Gzip,
            "snappy" => KafkaCompression.Snappy,
            "zstd" => KafkaCompression.Zstd,
            _ => KafkaCompression.None,
        };

    private static string? SecretText(ResolvedSecret secret, string key) =>
        secret.Data.TryGetValue(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private sealed record SinkContext(string Sink, string Namespace)
    {
        public ResolveException Fail(string reason, string field, string message) =>
            new(new EventSinkResolveFailure(reason, $"KollectEventSink {Sink}: {field}: {message}"));
    }

    private sealed record ResolvedSecret(string Description, IReadOnlyDictionary<string, byte[]> Data)
    {
        public override string ToString() => Description;
    }

    private sealed class ResolveException(EventSinkResolveFailure failure) : Exception(failure.Message)
    {
        public EventSinkResolveFailure Failure { get; } = failure;
    }
}
