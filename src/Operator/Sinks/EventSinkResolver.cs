using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Sinks.Common;
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
public sealed partial class EventSinkResolver(SinkSecretLookup secrets, EventSinkResolverOptions options)
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
        context.Fail(EventSinkResolveFailure.ConnectionTestFailed, EventSinkFields.SpecType, $"must be {TypeName(KollectEventSinkSpecType.Kafka)} or {TypeName(KollectEventSinkSpecType.Nats)}, not '{type}'");

    /// <summary>The JSON value of a sink type (<c>kafka</c>, <c>nats</c>).</summary>
    public static string TypeName(KollectEventSinkSpecType type) =>
        JsonSerializer.Serialize(type, KollectJsonContext.Default.KollectEventSinkSpecType).Trim('"');

    private KafkaSinkSettings ResolveKafka(KollectEventSinkSpec spec, SinkContext context)
    {
        var block = spec.Kafka ?? throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, EventSinkFields.SpecKafka, $"is required when {EventSinkFields.SpecType} is {TypeName(KollectEventSinkSpecType.Kafka)}");
        var brokers = (block.Brokers ?? []).Select(b => b.Trim()).Where(b => b.Length > 0).ToList();
        if (brokers.Count == 0)
        {
            // SPEC §2.1: an empty broker list falls back to spec.endpoint, comma-separated.
            brokers = (spec.Endpoint ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        }

        if (brokers.Count == 0)
        {
            throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, EventSinkFields.SpecKafkaBrokers, $"is empty and {EventSinkFields.SpecEndpoint} is not set; list the bootstrap brokers as host:port");
        }

        var topic = block.Topic is { Length: > 0 } t ? t : throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, EventSinkFields.SpecKafkaTopic, "is required");
        var (secretField, secret) = block.SecretRef is { } blockRef
            ? (EventSinkFields.SpecKafkaSecretRef, Lookup(blockRef.Name, blockRef.Namespace, EventSinkFields.SpecKafkaSecretRef, context))
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
        var block = spec.Nats ?? throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, EventSinkFields.SpecNats, $"is required when {EventSinkFields.SpecType} is {TypeName(KollectEventSinkSpecType.Nats)}");
        var url = block.Url is { Length: > 0 } u ? u.Trim() : spec.Endpoint?.Trim();
        if (string.IsNullOrEmpty(url))
        {
            throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, EventSinkFields.SpecNatsUrl, $"is empty and {EventSinkFields.SpecEndpoint} is not set; set nats://host:4222");
        }

        var subject = block.Subject is { Length: > 0 } s ? s : throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, EventSinkFields.SpecNatsSubject, "is required");
        var (secretField, secret) = block.SecretRef is { } blockRef
            ? (EventSinkFields.SpecNatsSecretRef, Lookup(blockRef.Name, blockRef.Namespace, EventSinkFields.SpecNatsSecretRef, context))
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

    private (string Field, ResolvedSecret? Secret) ReadSecret(KollectEventSinkSpec spec, SinkContext context) =>
        spec.SecretRef is { } reference
            ? (EventSinkFields.SpecSecretRef, Lookup(reference.Name, reference.Namespace, EventSinkFields.SpecSecretRef, context))
            : (EventSinkFields.SpecSecretRef, null);

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
                throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, EventSinkFields.SpecTlsCaBundle, "is not valid base64; encode the PEM CA bundle with base64");
            }
        }
        else if (tls.CaSecretRef is { } caRef)
        {
            var secret = Lookup(caRef.Name, caRef.Namespace, EventSinkFields.SpecTlsCaSecretRef, context);
            caPem = SecretText(secret, SinkSecretKeys.CaCrt) ?? SecretText(secret, SinkSecretKeys.TlsCrt)
                ?? throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, EventSinkFields.SpecTlsCaSecretRef, $"{secret}: has neither key {SinkSecretKeys.CaCrt} nor {SinkSecretKeys.TlsCrt}");
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
