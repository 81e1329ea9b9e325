using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Integration.Kafka;

/// <summary>
/// TLS, SASL and the endpoint guard seam against the mock cluster, which speaks neither TLS nor
/// SASL: these tests show that such a mismatch fails with a clear, terminal error and that no
/// secret leaks into errors or logs (SPEC §6.3, §6.5).
/// </summary>
public sealed class KafkaSecurityPathTests : IDisposable
{
    private const string Canary = "canary-pw-7f3a9c1e";
    private readonly KafkaMockCluster _cluster = new(brokers: 1);
    private readonly ConcurrentQueue<string> _log = new();

    public KafkaSecurityPathTests()
    {
        _cluster.CreateTopic("secure", partitions: 1);
    }

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task TLS_to_a_plaintext_broker_fails_the_probe_with_a_TLS_error()
    {
        var settings = KafkaTestSettings.For(_cluster.Brokers, "secure") with { Tls = new KafkaTlsSettings { CaPem = SelfSignedCaPem() } };

        var result = await new KafkaConnectionProbe(log: _log.Enqueue).ProbeAsync(settings, default);

        Assert.False(result.Verified);
        Assert.True(result.Error!.Kind == KafkaErrorKind.Terminal, result.Error + " | " + string.Join(" || ", _log));
        Assert.Equal("TlsHandshakeFailed", result.Error.Reason);
        Assert.Contains("speaks TLS", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TLS_to_a_plaintext_broker_fails_a_publish_with_a_TLS_error_not_a_bare_timeout()
    {
        var settings = KafkaTestSettings.For(_cluster.Brokers, "secure") with
        {
            Tls = new KafkaTlsSettings { CaPem = SelfSignedCaPem() },
            DeliveryTimeout = TimeSpan.FromSeconds(3),
        };
        using var pool = new KafkaProducerPool(log: _log.Enqueue);

        var result = await new KafkaEventPublisher(pool).PublishAsync(new("ns", "tls"), settings, KafkaTestSettings.Message("c", "ns", "{}"), default);

        Assert.False(result.Succeeded);
        Assert.Equal("TlsHandshakeFailed", result.Error!.Reason);
        Assert.Equal(KafkaErrorKind.Terminal, result.Error.Kind);
        Assert.Empty(await Kcat.ReadAllAsync(_cluster.Bootstrap, "secure"));
    }

    [Fact]
    public async Task SASL_against_a_broker_without_SASL_is_not_verified_and_never_shows_the_password()
    {
        var settings = KafkaTestSettings.For(_cluster.Brokers, "secure") with { Sasl = new KafkaSaslCredentials("svc-kollect", Canary) };

        var result = await new KafkaConnectionProbe(log: _log.Enqueue).ProbeAsync(settings, default);

        Assert.False(result.Verified);
        Assert.Equal(KafkaErrorKind.Terminal, result.Error!.Kind);
        Assert.Equal("AuthenticationFailed", result.Error.Reason);
        Assert.DoesNotContain(Canary, result.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_log, line => line.Contains(Canary, StringComparison.Ordinal));
        Assert.DoesNotContain(Canary, settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, KafkaProducerConfiguration.Derive(settings).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_endpoint_check_sees_bootstrap_and_advertised_brokers_and_allowed_ones_publish()
    {
        var checkedHosts = new ConcurrentQueue<string>();
        using var pool = new KafkaProducerPool(endpointCheck: (host, _) =>
        {
            checkedHosts.Enqueue(host);
            return Task.FromResult<string?>(null);
        });
        var port = _cluster.Brokers[0].Split(':')[1];
        var settings = KafkaTestSettings.For([$"localhost:{port}"], "secure");

        var result = await new KafkaEventPublisher(pool).PublishAsync(new("ns", "guarded"), settings, KafkaTestSettings.Message("c", "ns", "{}"), default);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Contains("localhost", checkedHosts);
        Assert.Contains("127.0.0.1", checkedHosts); // the mock advertises its brokers by IP
    }

    [Fact]
    public async Task A_denied_bootstrap_broker_is_never_dialed_and_the_error_says_why()
    {
        var settings = KafkaTestSettings.For(_cluster.Brokers, "secure");
        KafkaBrokerEndpointCheck deny = (host, _) => Task.FromResult<string?>("loopback addresses are not allowed");
        using var pool = new KafkaProducerPool(endpointCheck: deny);

        var published = await new KafkaEventPublisher(pool).PublishAsync(new("ns", "denied"), settings, KafkaTestSettings.Message("c", "ns", "{}"), default);
        var probed = await new KafkaConnectionProbe(endpointCheck: deny).ProbeAsync(settings, default);

        foreach (var error in new[] { published.Error, probed.Error })
        {
            Assert.NotNull(error);
            Assert.Equal("EndpointDenied", error.Reason);
            Assert.Equal(KafkaErrorKind.Terminal, error.Kind);
            Assert.Contains("loopback addresses are not allowed", error.Message, StringComparison.Ordinal);
            Assert.Contains("spec.kafka.brokers", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, pool.ProducersBuilt);
        Assert.Empty(await Kcat.ReadAllAsync(_cluster.Bootstrap, "secure"));
    }

    [Fact]
    public async Task A_denied_advertised_broker_stops_the_publish_before_producing()
    {
        var port = _cluster.Brokers[0].Split(':')[1];
        var settings = KafkaTestSettings.For([$"localhost:{port}"], "secure");
        KafkaBrokerEndpointCheck redirectDenied = (host, _) =>
            Task.FromResult(host == "127.0.0.1" ? "the cluster redirects to a denied address" : null);
        using var pool = new KafkaProducerPool(endpointCheck: redirectDenied);

        var published = await new KafkaEventPublisher(pool).PublishAsync(new("ns", "redirect"), settings, KafkaTestSettings.Message("c", "ns", "{}"), default);
        var probed = await new KafkaConnectionProbe(endpointCheck: redirectDenied).ProbeAsync(settings, default);

        foreach (var error in new[] { published.Error, probed.Error })
        {
            Assert.NotNull(error);
            Assert.Equal("EndpointDenied", error.Reason);
            Assert.Contains("advertised by the cluster", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await Kcat.ReadAllAsync(_cluster.Bootstrap, "secure"));
    }

    [Theory]
    [InlineData(KafkaSaslMechanism.ScramSha256, false)]
    [InlineData(KafkaSaslMechanism.ScramSha512, false)]
    [InlineData(KafkaSaslMechanism.Plain, true)]
    public async Task Librdkafka_accepts_the_derived_SASL_SSL_configuration_with_PEM_material(KafkaSaslMechanism mechanism, bool insecure)
    {
        // Nothing listens on the port: a well-formed configuration gets as far as dialing and
        // fails as unreachable; one librdkafka refused would fail as InvalidConfiguration.
        var (certificate, key) = ClientCertificatePem();
        var settings = KafkaTestSettings.For([$"127.0.0.1:{KafkaTestSettings.UnusedPort()}"], "secure") with
        {
            Sasl = new KafkaSaslCredentials("svc", Canary, mechanism),
            Tls = new KafkaTlsSettings { CaPem = SelfSignedCaPem(), InsecureSkipVerify = insecure, ClientCertificatePem = certificate, ClientKeyPem = key },
        };

        var result = await new KafkaConnectionProbe().ProbeAsync(settings, default);

        Assert.False(result.Verified);
        Assert.Equal("BrokerUnreachable", result.Error!.Reason);
        Assert.Equal(insecure, result.TlsInsecure);
    }

    [Fact]
    public async Task A_private_key_librdkafka_cannot_read_is_an_invalid_configuration_that_hides_the_key()
    {
        var (certificate, _) = ClientCertificatePem();
        const string brokenKey = "-----BEGIN PRIVATE KEY-----\nbm90LWEta2V5LWNhbmFyeQ==\n-----END PRIVATE KEY-----\n";
        var settings = KafkaTestSettings.For([$"127.0.0.1:{KafkaTestSettings.UnusedPort()}"], "secure") with
        {
            Tls = new KafkaTlsSettings { ClientCertificatePem = certificate, ClientKeyPem = brokenKey },
        };

        var result = await new KafkaConnectionProbe().ProbeAsync(settings, default);

        Assert.Equal("InvalidConfiguration", result.Error!.Reason);
        Assert.Equal(KafkaErrorKind.Terminal, result.Error.Kind);
        Assert.DoesNotContain("bm90LWEta2V5LWNhbmFyeQ", result.Error.Message, StringComparison.Ordinal);
    }

    private static (string Certificate, string Key) ClientCertificatePem()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kollect-client", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static string SelfSignedCaPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kollect-test-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return certificate.ExportCertificatePem();
    }
}
