using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
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
    /// <summary>Reads <paramref name="sink"/> (as from the API or a manifest) into its model once, then resolves it; never throws for a bad sink.</summary>
    public EventSinkResolution Resolve(JsonObject sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var ns = KubeObjects.Namespace(sink) is { Length: > 0 } given ? given : "default";
        var context = new SinkContext($"{ns}/{KubeObjects.Name(sink) ?? "(no name)"}", ns);
        var type = (sink[KollectEventSink.JsonNames.Spec]?[KollectEventSinkSpec.JsonNames.Type] as JsonValue)?.TryGetValue<string>(out var text) == true ? text : "";
        var result = new EventSinkResolution { Sink = context.Sink, Type = type, EndpointPolicy = options.EndpointPolicy };
        if (type != TypeName(KollectEventSinkSpecType.Kafka) && type != TypeName(KollectEventSinkSpecType.Nats))
        {
            // The model has no value for an unknown type; say what the typed path would say.
            return result with { Failure = UnknownType(context, type).Failure };
        }

        try
        {
            return Resolve(sink.Deserialize(KollectJsonContext.Default.KollectEventSink)!);
        }
        catch (JsonException e)
        {
            return result with { Failure = context.Fail(EventSinkResolveFailure.ConnectionTestFailed, KollectEventSink.JsonNames.Spec, e.Message).Failure };
        }
    }

    /// <summary>Resolves the sink; never throws for a bad sink or Secret, and no message carries a secret value.</summary>
    public EventSinkResolution Resolve(KollectEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var ns = sink.Metadata.Namespace is { Length: > 0 } given ? given : "default";
        var name = sink.Metadata.Name ?? "(no name)";
        var spec = sink.Spec;
        var type = spec is null ? "" : TypeName(spec.Type);
        var context = new SinkContext($"{ns}/{name}", ns);
        var result = new EventSinkResolution { Sink = context.Sink, Type = type, EndpointPolicy = options.EndpointPolicy };
        try
        {
            return spec?.Type switch
            {
                KollectEventSinkSpecType.Kafka => result with { Kafka = ResolveKafka(spec, context) },
                KollectEventSinkSpecType.Nats => result with { Nats = ResolveNats(spec, context) },
                _ => throw UnknownType(context, type),
            };
        }
        catch (ResolveException failure)
        {
            return result with { Failure = failure.Failure };
        }
    }

    private static ResolveException UnknownType(SinkContext context, string type) =>
        context.Fail(EventSinkResolveFailure.ConnectionTestFailed, Paths.Type, $"must be {TypeName(KollectEventSinkSpecType.Kafka)} or {TypeName(KollectEventSinkSpecType.Nats)}, not '{type}'");

    /// <summary>The JSON value of a sink type (<c>kafka</c>, <c>nats</c>).</summary>
    public static string TypeName(KollectEventSinkSpecType type) =>
        JsonSerializer.Serialize(type, KollectJsonContext.Default.KollectEventSinkSpecType).Trim('"');

    private KafkaSinkSettings ResolveKafka(KollectEventSinkSpec spec, SinkContext context)
    {
        var block = spec.Kafka ?? throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, Paths.Kafka, $"is required when {Paths.Type} is {TypeName(KollectEventSinkSpecType.Kafka)}");
        var brokers = (block.Brokers ?? []).Select(b => b.Trim()).Where(b => b.Length > 0).ToList();
        if (brokers.Count == 0)
        {
            // SPEC §2.1: an empty broker list falls back to spec.endpoint, comma-separated.
            brokers = (spec.Endpoint ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        if (brokers.Count == 0)
        {
            throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, Paths.KafkaBrokers, $"is empty and {Paths.Endpoint} is not set; list the bootstrap brokers as host:port");
        }

        var topic = block.Topic is { Length: > 0 } t ? t : throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, Paths.KafkaTopic, "is required");
        var (secretField, secret) = block.SecretRef is { } blockRef
            ? (Paths.KafkaSecretRef, Lookup(blockRef.Name, blockRef.Namespace, Paths.KafkaSecretRef, context))
            : ReadSecret(spec, context);
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

    private NatsSinkOptions ResolveNats(KollectEventSinkSpec spec, SinkContext context)
    {
        var block = spec.Nats ?? throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, Paths.Nats, $"is required when {Paths.Type} is {TypeName(KollectEventSinkSpecType.Nats)}");
        var url = block.Url is { Length: > 0 } u ? u.Trim() : spec.Endpoint?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, Paths.NatsUrl, $"is empty and {Paths.Endpoint} is not set; set nats://host:4222");
        }

        var subject = block.Subject is { Length: > 0 } s ? s : throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, Paths.NatsSubject, "is required");
        var (secretField, secret) = block.SecretRef is { } blockRef
            ? (Paths.NatsSecretRef, Lookup(blockRef.Name, blockRef.Namespace, Paths.NatsSecretRef, context))
            : ReadSecret(spec, context);
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
            Stream = NatsStreamName.Normalize(block.Stream),
            Provisioning = spec.Provisioning?.Mode == KollectEventSinkSpecProvisioningMode.Existing ? NatsProvisioningMode.Existing : NatsProvisioningMode.Ensure,
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

    private (string Field, ResolvedSecret? Secret) ReadSecret(KollectEventSinkSpec spec, SinkContext context) =>
        spec.SecretRef is { } reference
            ? (Paths.SecretRef, Lookup(reference.Name, reference.Namespace, Paths.SecretRef, context))
            : (Paths.SecretRef, null);

    private ResolvedSecret Lookup(string? refName, string? refNamespace, string field, SinkContext context)
    {
        var name = refName is { Length: > 0 } n ? n : throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, $"{field}.{KollectEventSinkSpecSecretRef.JsonNames.Name}", "is required");
        var ns = refNamespace is { Length: > 0 } given ? given : context.Namespace;
        if (ns != context.Namespace && !options.AllowCrossNamespaceSecrets)
        {
            // SPEC §6.5: another namespace's Secret only where the operator allows it.
            throw context.Fail(
                EventSinkResolveFailure.SecretResolveFailed,
                $"{field}.{KollectEventSinkSpecSecretRef.JsonNames.Namespace}",
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

    private (bool On, string? CaPem, bool Insecure) ReadTls(KollectEventSinkSpec spec, SinkContext context)
    {
        if (spec.Tls is not { } tls)
        {
            return (false, null, false);
        }

        string? caPem = null;
        if (tls.CaBundle is { Length: > 0 } bundle)
        {
            try
            {
                caPem = Encoding.UTF8.GetString(Convert.FromBase64String(bundle));
            }
            catch (FormatException)
            {
                throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, Paths.TlsCaBundle, "is not valid base64; encode the PEM CA bundle with base64");
            }
        }
        else if (tls.CaSecretRef is { } caRef)
        {
            var secret = Lookup(caRef.Name, caRef.Namespace, Paths.TlsCaSecretRef, context);
            caPem = SecretText(secret, SinkSecretKeys.CaCrt) ?? SecretText(secret, SinkSecretKeys.TlsCrt)
                ?? throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, Paths.TlsCaSecretRef, $"{secret}: has neither key {SinkSecretKeys.CaCrt} nor {SinkSecretKeys.TlsCrt}");
        }

        return (true, caPem, tls.InsecureSkipVerify == true);
    }

    private static KafkaCompression Compression(KollectEventSinkSpec spec) =>
        spec.Serialization?.Compression switch
        {
            KollectEventSinkSpecSerializationCompression.Gzip => KafkaCompression.Gzip,
            KollectEventSinkSpecSerializationCompression.Snappy => KafkaCompression.Snappy,
            KollectEventSinkSpecSerializationCompression.Zstd => KafkaCompression.Zstd,
            _ => KafkaCompression.None,
        };

    private static string? SecretText(ResolvedSecret secret, string key) =>
        secret.Data.TryGetValue(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>The field paths the resolver's messages name, from the generated JSON names.</summary>
    private static class Paths
    {
        private const string Spec = KollectEventSink.JsonNames.Spec;
        public const string Type = $"{Spec}.{KollectEventSinkSpec.JsonNames.Type}";
        public const string Endpoint = $"{Spec}.{KollectEventSinkSpec.JsonNames.Endpoint}";
        public const string SecretRef = $"{Spec}.{KollectEventSinkSpec.JsonNames.SecretRef}";
        public const string Kafka = $"{Spec}.{KollectEventSinkSpec.JsonNames.Kafka}";
        public const string KafkaBrokers = $"{Kafka}.{KollectEventSinkSpecKafka.JsonNames.Brokers}";
        public const string KafkaTopic = $"{Kafka}.{KollectEventSinkSpecKafka.JsonNames.Topic}";
        public const string KafkaSecretRef = $"{Kafka}.{KollectEventSinkSpecKafka.JsonNames.SecretRef}";
        public const string Nats = $"{Spec}.{KollectEventSinkSpec.JsonNames.Nats}";
        public const string NatsUrl = $"{Nats}.{KollectEventSinkSpecNats.JsonNames.Url}";
        public const string NatsSubject = $"{Nats}.{KollectEventSinkSpecNats.JsonNames.Subject}";
        public const string NatsSecretRef = $"{Nats}.{KollectEventSinkSpecNats.JsonNames.SecretRef}";
        public const string Tls = $"{Spec}.{KollectEventSinkSpec.JsonNames.Tls}";
        public const string TlsCaBundle = $"{Tls}.{KollectEventSinkSpecTls.JsonNames.CaBundle}";
        public const string TlsCaSecretRef = $"{Tls}.{KollectEventSinkSpecTls.JsonNames.CaSecretRef}";
    }

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
