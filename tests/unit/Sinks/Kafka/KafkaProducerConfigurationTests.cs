using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Unit.Sinks.Kafka;

public sealed class KafkaProducerConfigurationTests
{
    private const string Password = "s3cret-canary-password";
    private const string CaPem = "-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n";
    private const string CertPem = "-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n";
    private const string KeyPem = "-----BEGIN PRIVATE KEY-----\nMIIkey-canary\n-----END PRIVATE KEY-----\n";

    private static KafkaSinkSettings Plain(params string[] brokers) => new()
    {
        Brokers = brokers.Length == 0 ? ["kafka-0.kafka:9092"] : brokers,
        Topic = "kollect.snapshots",
    };

    private static IReadOnlyDictionary<string, string> Props(KafkaSinkSettings settings) => KafkaProducerConfiguration.Derive(settings).Properties;

    [Theory]
    [InlineData(false, false, "PLAINTEXT")]
    [InlineData(true, false, "SSL")]
    [InlineData(false, true, "SASL_PLAINTEXT")]
    [InlineData(true, true, "SASL_SSL")]
    public void Security_protocol_follows_TLS_and_SASL(bool tls, bool sasl, string expected)
    {
        var settings = Plain() with
        {
            Tls = tls ? new KafkaTlsSettings() : null,
            Sasl = sasl ? new KafkaSaslCredentials("user", Password) : null,
        };

        var configuration = KafkaProducerConfiguration.Derive(settings);

        Assert.Equal(expected, configuration.SecurityProtocol);
        Assert.Equal(expected, configuration.Properties["security.protocol"]);
    }

    [Fact]
    public void A_disabled_TLS_block_is_plaintext_but_a_client_certificate_turns_TLS_on()
    {
        Assert.Equal("PLAINTEXT", KafkaProducerConfiguration.Derive(Plain() with { Tls = new KafkaTlsSettings { Enabled = false } }).SecurityProtocol);
        var withCertificate = Plain() with { Tls = new KafkaTlsSettings { Enabled = false, ClientCertificatePem = CertPem, ClientKeyPem = KeyPem } };
        Assert.Equal("SSL", KafkaProducerConfiguration.Derive(withCertificate).SecurityProtocol);
    }

    [Theory]
    [InlineData(KafkaSaslMechanism.ScramSha256, "SCRAM-SHA-256")]
    [InlineData(KafkaSaslMechanism.ScramSha512, "SCRAM-SHA-512")]
    [InlineData(KafkaSaslMechanism.Plain, "PLAIN")]
    public void SASL_mechanism_username_and_password_are_passed(KafkaSaslMechanism mechanism, string expected)
    {
        var properties = Props(Plain() with { Sasl = new KafkaSaslCredentials("svc", Password, mechanism) });

        Assert.Equal(expected, properties["sasl.mechanism"]);
        Assert.Equal("svc", properties["sasl.username"]);
        Assert.Equal(Password, properties["sasl.password"]);
    }

    [Fact]
    public void SCRAM_SHA_256_is_the_default_mechanism()
    {
        Assert.Equal("SCRAM-SHA-256", Props(Plain() with { Sasl = new KafkaSaslCredentials("svc", Password) })["sasl.mechanism"]);
    }

    [Fact]
    public void Delivery_guarantees_and_bounds_of_SPEC_6_1_hold()
    {
        var properties = Props(Plain() with { DeliveryTimeout = TimeSpan.FromMinutes(5), Linger = TimeSpan.FromSeconds(10) });

        Assert.Equal("all", properties["acks"]);
        Assert.Equal("true", properties["enable.idempotence"]);
        Assert.Equal("murmur2_random", properties["partitioner"]);
        Assert.True(int.Parse(properties["queue.buffering.max.kbytes"]) <= 16384);
        Assert.Equal("30000", properties["message.timeout.ms"]);
        Assert.True(int.Parse(properties["request.timeout.ms"]) < 30000);
        Assert.True(int.Parse(properties["linger.ms"]) <= 100);
        Assert.Equal("false", properties["allow.auto.create.topics"]);
        Assert.Equal("1000000", properties["message.max.bytes"]);
        Assert.Equal("kafka-0.kafka:9092", properties["bootstrap.servers"]);
    }

    [Theory]
    [InlineData(KafkaCompression.None, "none")]
    [InlineData(KafkaCompression.Gzip, "gzip")]
    [InlineData(KafkaCompression.Snappy, "snappy")]
    [InlineData(KafkaCompression.Zstd, "zstd")]
    public void Compression_is_passed(KafkaCompression compression, string expected)
    {
        Assert.Equal(expected, Props(Plain() with { Compression = compression })["compression.type"]);
    }

    [Fact]
    public void TLS_material_goes_into_the_PEM_properties_and_verification_stays_on()
    {
        var configuration = KafkaProducerConfiguration.Derive(Plain() with
        {
            Tls = new KafkaTlsSettings { CaPem = CaPem, ClientCertificatePem = CertPem, ClientKeyPem = KeyPem },
        });

        Assert.Equal(CaPem, configuration.Properties["ssl.ca.pem"]);
        Assert.Equal(CertPem, configuration.Properties["ssl.certificate.pem"]);
        Assert.Equal(KeyPem, configuration.Properties["ssl.key.pem"]);
        Assert.Equal("true", configuration.Properties["enable.ssl.certificate.verification"]);
        Assert.Equal("https", configuration.Properties["ssl.endpoint.identification.algorithm"]);
        Assert.False(configuration.TlsInsecure);
    }

    [Fact]
    public void Insecure_skip_verify_turns_verification_off_and_is_reported()
    {
        var configuration = KafkaProducerConfiguration.Derive(Plain() with { Tls = new KafkaTlsSettings { InsecureSkipVerify = true } });

        Assert.True(configuration.TlsInsecure);
        Assert.Equal("false", configuration.Properties["enable.ssl.certificate.verification"]);
        Assert.Equal("none", configuration.Properties["ssl.endpoint.identification.algorithm"]);
    }

    [Fact]
    public void The_fingerprint_follows_secrets_and_CA_but_is_stable_for_equal_settings()
    {
        var baseline = Plain() with
        {
            Sasl = new KafkaSaslCredentials("svc", Password),
            Tls = new KafkaTlsSettings { CaPem = CaPem, ClientCertificatePem = CertPem, ClientKeyPem = KeyPem },
        };
        var fingerprint = KafkaProducerConfiguration.Derive(baseline).Fingerprint;

        Assert.Equal(fingerprint, KafkaProducerConfiguration.Derive(baseline with { }).Fingerprint);
        Assert.Equal(fingerprint, KafkaProducerConfiguration.Derive(baseline with { Topic = "other" }).Fingerprint);
        Assert.NotEqual(fingerprint, KafkaProducerConfiguration.Derive(baseline with { Sasl = new KafkaSaslCredentials("svc", Password + "2") }).Fingerprint);
        Assert.NotEqual(fingerprint, KafkaProducerConfiguration.Derive(baseline with { Tls = baseline.Tls! with { CaPem = CaPem + "\n" } }).Fingerprint);
        Assert.NotEqual(fingerprint, KafkaProducerConfiguration.Derive(baseline with { Tls = baseline.Tls! with { ClientKeyPem = KeyPem + "\n" } }).Fingerprint);
        Assert.NotEqual(fingerprint, KafkaProducerConfiguration.Derive(baseline with { Brokers = ["kafka-1.kafka:9092"] }).Fingerprint);
        Assert.DoesNotContain(Password, fingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public void Printable_views_never_show_the_password_or_the_private_key()
    {
        var settings = Plain() with
        {
            Sasl = new KafkaSaslCredentials("svc", Password),
            Tls = new KafkaTlsSettings { CaPem = CaPem, ClientCertificatePem = CertPem, ClientKeyPem = KeyPem },
        };
        var configuration = KafkaProducerConfiguration.Derive(settings);

        foreach (var text in new[] { settings.ToString(), settings.Sasl!.ToString(), settings.Tls!.ToString(), configuration.ToString(), string.Join(",", configuration.DescribeProperties()) })
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain("MIIkey-canary", text, StringComparison.Ordinal);
        }

        Assert.Contains("kafka-0.kafka:9092", settings.ToString(), StringComparison.Ordinal);
        Assert.Equal("<redacted>", configuration.DescribeProperties()["sasl.password"]);
        Assert.Equal("reason: <redacted> and <redacted>", configuration.Scrub($"reason: {Password} and {KeyPem}"));
    }

    [Fact]
    public void The_admin_client_gets_connection_properties_but_not_producer_ones()
    {
        var admin = KafkaProducerConfiguration.Derive(Plain() with { Sasl = new KafkaSaslCredentials("svc", Password) })
            .AdminClientProperties.ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal("SASL_PLAINTEXT", admin["security.protocol"]);
        Assert.Equal("kafka-0.kafka:9092", admin["bootstrap.servers"]);
        Assert.False(admin.ContainsKey("acks"));
        Assert.False(admin.ContainsKey("enable.idempotence"));
    }

    [Fact]
    public void Brokers_may_be_comma_separated_and_IPv6_literals_bracketed()
    {
        var configuration = KafkaProducerConfiguration.Derive(Plain("a:9092, b:9093", "[fd00::1]:9094"));

        Assert.Equal("a:9092,b:9093,[fd00::1]:9094", configuration.Properties["bootstrap.servers"]);
        Assert.Equal(new KafkaBrokerAddress("fd00::1", 9094), configuration.Brokers[2]);
    }

    [Theory]
    [InlineData("kafka", "add the port")]
    [InlineData("kafka:port", "1 to 65535")]
    [InlineData("kafka:0", "1 to 65535")]
    [InlineData("SASL_SSL://kafka:9092", "without scheme")]
    [InlineData("fd00::1:9092", "[address]:port")]
    public void Unusable_broker_addresses_are_explained(string broker, string hint)
    {
        var error = Assert.Throws<KafkaSinkConfigurationException>(() => KafkaProducerConfiguration.Derive(Plain(broker)));

        Assert.Contains("spec.kafka.brokers", error.Message, StringComparison.Ordinal);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_brokers_at_all_is_explained()
    {
        var error = Assert.Throws<KafkaSinkConfigurationException>(() => KafkaProducerConfiguration.Derive(Plain() with { Brokers = [" , "] }));
        Assert.Contains("spec.endpoint", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("with space")]
    [InlineData("slash/topic")]
    public void Invalid_topic_names_are_rejected_with_the_field(string topic)
    {
        var error = Assert.Throws<KafkaSinkConfigurationException>(() => KafkaProducerConfiguration.Derive(Plain() with { Topic = topic }));
        Assert.Contains("spec.kafka.topic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_a_client_certificate_and_non_PEM_material_are_rejected_without_showing_them()
    {
        var keyOnly = Assert.Throws<KafkaSinkConfigurationException>(() =>
            KafkaProducerConfiguration.Derive(Plain() with { Tls = new KafkaTlsSettings { ClientKeyPem = KeyPem } }));
        Assert.Contains("tls.crt", keyOnly.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MIIkey-canary", keyOnly.Message, StringComparison.Ordinal);

        var notPem = Assert.Throws<KafkaSinkConfigurationException>(() =>
            KafkaProducerConfiguration.Derive(Plain() with { Tls = new KafkaTlsSettings { ClientCertificatePem = CertPem, ClientKeyPem = "secret-raw-key-bytes" } }));
        Assert.Contains("tls.key", notPem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-raw-key-bytes", notPem.Message, StringComparison.Ordinal);

        var badCa = Assert.Throws<KafkaSinkConfigurationException>(() =>
            KafkaProducerConfiguration.Derive(Plain() with { Tls = new KafkaTlsSettings { CaPem = "/etc/ssl/ca.crt" } }));
        Assert.Contains("caBundle", badCa.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_username_without_password_is_rejected_without_echoing_anything_secret()
    {
        var error = Assert.Throws<KafkaSinkConfigurationException>(() =>
            KafkaProducerConfiguration.Derive(Plain() with { Sasl = new KafkaSaslCredentials("svc", "") }));
        Assert.Contains("password", error.Message, StringComparison.Ordinal);
    }
}
