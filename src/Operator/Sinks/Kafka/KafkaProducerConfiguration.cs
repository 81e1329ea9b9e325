using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// The librdkafka properties that one Kafka sink's producer runs with, derived from
/// <see cref="KafkaSinkSettings"/> without any I/O (SPEC §6.1).
/// </summary>
/// <remarks>
/// <see cref="Properties"/> holds secret material (SASL password, client key) because librdkafka
/// needs it; never log it. <see cref="ToString"/> and <see cref="DescribeProperties"/> are the
/// printable views. <see cref="Fingerprint"/> changes whenever any effective property changes,
/// secrets and CA included, so the producer pool knows when to rebuild (SPEC §6.1).
/// </remarks>
public sealed class KafkaProducerConfiguration
{
    /// <summary>Upper bound of the producer's local queue in KiB (SPEC §6.1: ≤ 16 MiB).</summary>
    public const int MaxQueueKilobytes = 16 * 1024;

    private static readonly HashSet<string> SecretProperties = new(StringComparer.Ordinal)
    {
        "sasl.password",
        "sasl.oauthbearer.client.secret",
        "ssl.key.pem",
    };

    // Properties that only a producer understands; an admin client built from the same settings
    // leaves them out so librdkafka does not warn about them.
    private static readonly HashSet<string> ProducerOnlyProperties = new(StringComparer.Ordinal)
    {
        "acks",
        "enable.idempotence",
        "partitioner",
        "queue.buffering.max.kbytes",
        "message.timeout.ms",
        "linger.ms",
        "compression.type", // not a Kollect field: a librdkafka property
        "request.timeout.ms",
    };

    // Keyed per process: the fingerprint covers passwords and keys, and an unkeyed hash of a
    // password would be an offline guessing oracle if a fingerprint ever leaked.
    private static readonly byte[] FingerprintKey = RandomNumberGenerator.GetBytes(32);

    private readonly SortedDictionary<string, string> _properties;

    private KafkaProducerConfiguration(
        SortedDictionary<string, string> properties,
        IReadOnlyList<KafkaBrokerAddress> brokers,
        string topic,
        TimeSpan connectTimeout,
        string securityProtocol,
        bool tlsInsecure,
        int messageMaxBytes,
        IReadOnlyList<string> secretValues,
        string? oauthBearerToken)
    {
        OAuthBearerToken = oauthBearerToken;
        _properties = properties;
        Brokers = brokers;
        Topic = topic;
        ConnectTimeout = connectTimeout;
        SecurityProtocol = securityProtocol;
        TlsInsecure = tlsInsecure;
        MessageMaxBytes = messageMaxBytes;
        SecretValues = secretValues;
        Fingerprint = ComputeFingerprint(properties, oauthBearerToken);
    }

    /// <summary>All librdkafka properties, secrets included. Pass to librdkafka only.</summary>
    public IReadOnlyDictionary<string, string> Properties => _properties;

    /// <summary>The bootstrap brokers, parsed; each must pass the endpoint guard before dialing (SPEC §6.5).</summary>
    public IReadOnlyList<KafkaBrokerAddress> Brokers { get; }

    /// <summary>The sink's topic. Not a producer property, so not part of <see cref="Fingerprint"/>.</summary>
    public string Topic { get; }

    /// <summary>Bound for connecting to a broker and for one metadata request (probe, endpoint checks).</summary>
    public TimeSpan ConnectTimeout { get; }

    /// <summary><c>PLAINTEXT</c>, <c>SSL</c>, <c>SASL_PLAINTEXT</c> or <c>SASL_SSL</c>.</summary>
    public string SecurityProtocol { get; }

    /// <summary>Broker certificates are not verified: the sink must show <c>TLSInsecure</c> (SPEC §2.1).</summary>
    public bool TlsInsecure { get; }

    /// <summary>The effective <c>message.max.bytes</c>: the largest message this producer sends.</summary>
    public int MessageMaxBytes { get; }

    /// <summary>Keyed hash of every property, secrets included; equal for equal configurations within one process.</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// The static SASL/OAUTHBEARER token, given to librdkafka by the builders' token-refresh handler
    /// (it is not a librdkafka property); null without one. Secret: never log it.
    /// </summary>
    public string? OAuthBearerToken { get; }

    /// <summary>The secret strings of this configuration, so texts from librdkafka can be scrubbed before they are shown.</summary>
    internal IReadOnlyList<string> SecretValues { get; }

    /// <summary>The properties an admin client (probe, metadata) needs: everything except producer-only ones.</summary>
    public IEnumerable<KeyValuePair<string, string>> AdminClientProperties =>
        _properties.Where(p => !ProducerOnlyProperties.Contains(p.Key));

    /// <summary>Derives the producer configuration of one sink.</summary>
    /// <exception cref="KafkaSinkConfigurationException">The settings cannot work; the message says which field to fix.</exception>
    public static KafkaProducerConfiguration Derive(KafkaSinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var brokers = ParseBrokers(settings.Brokers);
        KafkaTopicName.Validate(settings.Topic);
        if (settings.MessageMaxBytes is < 1000 or > 1_000_000_000)
        {
            throw new KafkaSinkConfigurationException(
                $"message.max.bytes {settings.MessageMaxBytes.ToString(CultureInfo.InvariantCulture)} is outside librdkafka's range 1000..1000000000.");
        }

        var deliveryTimeout = Clamp(settings.DeliveryTimeout, TimeSpan.FromSeconds(1), KafkaSinkSettings.MaxDeliveryTimeout);
        var connectTimeout = Clamp(settings.ConnectTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        // librdkafka requires linger.ms < message.timeout.ms; a linger beyond 100 ms would defeat
        // the latency target anyway (SPEC §10).
        var linger = Clamp(settings.Linger, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
        var propagation = Clamp(settings.TopicPropagationTimeout, TimeSpan.Zero, deliveryTimeout);

        var properties = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["bootstrap.servers"] = string.Join(',', brokers),
            ["client.id"] = "kollect",
            ["acks"] = "all",
            ["enable.idempotence"] = "true",
            // Java-client compatible key hashing: the key <cluster>/<namespace> picks the partition (SPEC §6.1).
            ["partitioner"] = "murmur2_random",
            ["queue.buffering.max.kbytes"] = MaxQueueKilobytes.ToString(CultureInfo.InvariantCulture),
            ["message.timeout.ms"] = Milliseconds(deliveryTimeout),
            // A third of the delivery timeout: a request stuck on a broker is abandoned and retried
            // (idempotently) while the message still has time, rather than failing the message.
            ["request.timeout.ms"] = Milliseconds(Clamp(deliveryTimeout / 3, TimeSpan.FromSeconds(1), deliveryTimeout)),
            ["linger.ms"] = Milliseconds(linger),
            ["compression.type"] = CompressionName(settings.Compression), // not a Kollect field: a librdkafka property
            ["message.max.bytes"] = settings.MessageMaxBytes.ToString(CultureInfo.InvariantCulture),
            ["socket.connection.setup.timeout.ms"] = Milliseconds(connectTimeout),
            // A sink must never create its topic by producing to it: a typo would silently create a new topic.
            ["allow.auto.create.topics"] = "false",
            ["topic.metadata.propagation.max.ms"] = Milliseconds(propagation), // not a Kollect field: a librdkafka property
            // Recover within seconds when a broker comes back, instead of librdkafka's 10 s ceiling.
            ["reconnect.backoff.max.ms"] = "2000",
        };

        var secrets = new List<string>();
        var tls = settings.Tls;
        var tlsOn = tls is not null && (tls.Enabled || tls.ClientCertificatePem is not null || tls.ClientKeyPem is not null);
        var tlsInsecure = false;
        if (tlsOn)
        {
            tlsInsecure = AddTls(tls!, properties, secrets);
        }

        if (settings.Sasl is not null && settings.OAuthBearer is not null)
        {
            throw new KafkaSinkConfigurationException("the sink Secret has both username/password and OAUTHBEARER keys: keep one SASL mechanism.");
        }

        if (settings.Sasl is { } sasl)
        {
            AddSasl(sasl, properties, secrets);
        }

        if (settings.OAuthBearer is { } bearer)
        {
            AddOAuthBearer(bearer, properties, secrets);
        }

        var saslOn = settings.Sasl is not null || settings.OAuthBearer is not null;
        var protocol = (tlsOn, saslOn) switch
        {
            (false, false) => "PLAINTEXT",
            (true, false) => "SSL",
            (false, true) => "SASL_PLAINTEXT",
            (true, true) => "SASL_SSL",
        };
        properties["security.protocol"] = protocol;

        return new KafkaProducerConfiguration(properties, brokers, settings.Topic, connectTimeout, protocol, tlsInsecure, settings.MessageMaxBytes, secrets, settings.OAuthBearer?.Token);
    }

    /// <summary>The properties with secret values replaced by <c>&lt;redacted&gt;</c>, for diagnostics.</summary>
    public IReadOnlyDictionary<string, string> DescribeProperties()
    {
        var described = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in _properties)
        {
            described[key] = SecretProperties.Contains(key) ? "<redacted>" : value.Contains("-----BEGIN", StringComparison.Ordinal) ? "<pem>" : value;
        }

        return described;
    }

    /// <summary>Replaces every secret value of this configuration inside <paramref name="text"/>.</summary>
    public string Scrub(string text)
    {
        foreach (var secret in SecretValues)
        {
            if (secret.Length > 0)
            {
                text = text.Replace(secret, "<redacted>", StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Describes the configuration without secrets.</summary>
    public override string ToString() =>
        $"KafkaProducerConfiguration {{ {string.Join(", ", DescribeProperties().Select(p => $"{p.Key}={p.Value}"))} }}";

    private static List<KafkaBrokerAddress> ParseBrokers(IReadOnlyList<string>? brokers)
    {
        var parsed = new List<KafkaBrokerAddress>();
        foreach (var entry in brokers ?? [])
        {
            // Entries may themselves be comma-separated (spec.endpoint fallback, SPEC §2.1).
            foreach (var part in entry.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                parsed.Add(KafkaBrokerAddress.Parse(part));
            }
        }

        if (parsed.Count == 0)
        {
            throw new KafkaSinkConfigurationException(
                $"{EventSinkFields.SpecKafkaBrokers} is empty and {EventSinkFields.SpecEndpoint} gives no broker: list at least one host:port.");
        }

        return parsed;
    }

    private static bool AddTls(KafkaTlsSettings tls, SortedDictionary<string, string> properties, List<string> secrets)
    {
        if (tls.CaPem is { } ca)
        {
            RequirePem(ca, "CERTIFICATE", $"{EventSinkFields.SpecTlsCaBundle} / {EventSinkFields.SpecTlsCaSecretRef}");
            properties["ssl.ca.pem"] = ca;
        }

        if ((tls.ClientCertificatePem is null) != (tls.ClientKeyPem is null))
        {
            throw new KafkaSinkConfigurationException(
                "the sink Secret has only one of tls.crt and tls.key: a client certificate needs both, or remove the one present."); // not a Kollect field: Secret data keys
        }

        if (tls.ClientCertificatePem is { } cert && tls.ClientKeyPem is { } key)
        {
            RequirePem(cert, "CERTIFICATE", "Secret key tls.crt"); // not a Kollect field: a Secret data key
            RequirePem(key, "PRIVATE KEY", "Secret key tls.key"); // not a Kollect field: a Secret data key
            properties["ssl.certificate.pem"] = cert;
            properties["ssl.key.pem"] = key;
            secrets.Add(key);
        }

        if (tls.InsecureSkipVerify)
        {
            properties["enable.ssl.certificate.verification"] = "false";
            properties["ssl.endpoint.identification.algorithm"] = "none"; // not a Kollect field: a librdkafka property
            return true;
        }

        properties["enable.ssl.certificate.verification"] = "true";
        properties["ssl.endpoint.identification.algorithm"] = "https"; // not a Kollect field: a librdkafka property
        return false;
    }

    private static void AddSasl(KafkaSaslCredentials sasl, SortedDictionary<string, string> properties, List<string> secrets)
    {
        if (string.IsNullOrEmpty(sasl.Username))
        {
            throw new KafkaSinkConfigurationException("the sink Secret has a password but no username: add the key 'username'.");
        }

        if (string.IsNullOrEmpty(sasl.Password))
        {
            throw new KafkaSinkConfigurationException("the sink Secret has a username but no password: add the key 'password'.");
        }

        properties["sasl.mechanism"] = MechanismName(sasl.Mechanism);
        properties["sasl.username"] = sasl.Username;
        properties["sasl.password"] = sasl.Password;
        secrets.Add(sasl.Password);
    }

    private static void AddOAuthBearer(KafkaOAuthBearerSettings bearer, SortedDictionary<string, string> properties, List<string> secrets)
    {
        properties["sasl.mechanism"] = "OAUTHBEARER";
        if (!bearer.IsOidc)
        {
            if (string.IsNullOrWhiteSpace(bearer.Token))
            {
                throw new KafkaSinkConfigurationException("the sink Secret's key 'token' is empty.");
            }

            secrets.Add(bearer.Token);
            return;
        }

        foreach (var (key, value) in new[] { (KafkaOAuthBearerSettings.ClientIdKey, bearer.ClientId), (KafkaOAuthBearerSettings.ClientSecretKey, bearer.ClientSecret), (KafkaOAuthBearerSettings.TokenEndpointUrlKey, bearer.TokenEndpointUrl) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new KafkaSinkConfigurationException($"SASL/OAUTHBEARER with OIDC needs the Secret key '{key}' (or a static 'token').");
            }
        }

        if (!Uri.TryCreate(bearer.TokenEndpointUrl, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
        {
            throw new KafkaSinkConfigurationException($"the Secret key '{KafkaOAuthBearerSettings.TokenEndpointUrlKey}' must be an absolute https:// URL.");
        }

        // librdkafka's names are the Secret keys with the "sasl." prefix.
        properties["sasl.oauthbearer.method"] = "oidc";
        properties["sasl." + KafkaOAuthBearerSettings.ClientIdKey] = bearer.ClientId!;
        properties["sasl." + KafkaOAuthBearerSettings.ClientSecretKey] = bearer.ClientSecret!;
        properties["sasl." + KafkaOAuthBearerSettings.TokenEndpointUrlKey] = bearer.TokenEndpointUrl!;
        if (!string.IsNullOrWhiteSpace(bearer.Scope))
        {
            properties["sasl." + KafkaOAuthBearerSettings.ScopeKey] = bearer.Scope;
        }

        if (!string.IsNullOrWhiteSpace(bearer.Extensions))
        {
            properties["sasl." + KafkaOAuthBearerSettings.ExtensionsKey] = bearer.Extensions;
        }

        secrets.Add(bearer.ClientSecret!);
    }

    /// <summary>The Kafka name of a SASL mechanism, as written in a sink Secret's <c>mechanism</c> key.</summary>
    public static string MechanismName(KafkaSaslMechanism mechanism) => mechanism switch
    {
        KafkaSaslMechanism.Plain => "PLAIN",
        KafkaSaslMechanism.ScramSha256 => "SCRAM-SHA-256",
        KafkaSaslMechanism.ScramSha512 => "SCRAM-SHA-512",
        KafkaSaslMechanism.OAuthBearer => "OAUTHBEARER",
        _ => throw new ArgumentOutOfRangeException(nameof(mechanism), mechanism, "unknown SASL mechanism"),
    };

    private static string CompressionName(KafkaCompression compression) => compression switch
    {
        KafkaCompression.None => "none",
        KafkaCompression.Gzip => "gzip",
        KafkaCompression.Snappy => "snappy",
        KafkaCompression.Zstd => "zstd",
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "unknown compression"),
    };

    private static void RequirePem(string pem, string label, string source)
    {
        if (!pem.Contains("-----BEGIN ", StringComparison.Ordinal) || !pem.Contains(label, StringComparison.Ordinal))
        {
            throw new KafkaSinkConfigurationException(
                $"{source} is not PEM text with a '{label}' block: give the PEM itself (-----BEGIN {label}-----), not a path or DER.");
        }
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) =>
        value < min ? min : value > max ? max : value;

    private static string Milliseconds(TimeSpan value) =>
        ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private static string ComputeFingerprint(SortedDictionary<string, string> properties, string? oauthBearerToken)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, FingerprintKey);
        Span<byte> length = stackalloc byte[4];
        // The static token is not a librdkafka property but a changed token must rebuild the producer too.
        IEnumerable<KeyValuePair<string, string>> all = oauthBearerToken is null
            ? properties
            : properties.Append(new("(oauthbearer static token)", oauthBearerToken));
        foreach (var (key, value) in all)
        {
            foreach (var part in new[] { key, value })
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
                hmac.AppendData(length);
                hmac.AppendData(bytes);
            }
        }

        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }
}
