using System.Text;
using Confluent.Kafka;
using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Tests.Unit.Sinks.Kafka;

/// <summary>SPEC §2.1: SASL/OAUTHBEARER by a static token or OIDC client credentials; the mock broker has no SASL, so the configuration is what is tested.</summary>
public sealed class KafkaOAuthBearerConfigurationTests
{
    private const string Token = "canary-bearer-token-5e1f";
    private const string ClientSecret = "canary-oidc-secret-77aa";

    private static KafkaSinkSettings Plain() => new() { Brokers = ["kafka-0.kafka:9092"], Topic = "kollect.snapshots" };

    private static KafkaOAuthBearerSettings Oidc() => new()
    {
        ClientId = "kollect",
        ClientSecret = ClientSecret,
        TokenEndpointUrl = "https://idp.example.com/oauth2/token",
        Scope = "kafka",
        Extensions = "logicalCluster=lkc-1",
    };

    [Fact]
    public void A_static_token_selects_OAUTHBEARER_and_goes_to_the_refresh_handler_not_to_librdkafka_properties()
    {
        var configuration = KafkaProducerConfiguration.Derive(Plain() with { OAuthBearer = new KafkaOAuthBearerSettings { Token = Token } });

        Assert.Equal("SASL_PLAINTEXT", configuration.SecurityProtocol);
        Assert.Equal("OAUTHBEARER", configuration.Properties["sasl.mechanism"]);
        Assert.False(configuration.Properties.ContainsKey("sasl.oauthbearer.method"));
        Assert.Equal(Token, configuration.OAuthBearerToken);
        Assert.DoesNotContain(configuration.Properties.Values, value => value.Contains(Token, StringComparison.Ordinal));
        Assert.DoesNotContain(Token, configuration.ToString(), StringComparison.Ordinal);
        Assert.Equal("token <redacted>", configuration.Scrub("token " + Token));
    }

    [Fact]
    public void OIDC_client_credentials_map_to_librdkafkas_oidc_method()
    {
        var configuration = KafkaProducerConfiguration.Derive(Plain() with { Tls = new KafkaTlsSettings(), OAuthBearer = Oidc() });

        Assert.Equal("SASL_SSL", configuration.SecurityProtocol);
        Assert.Equal("OAUTHBEARER", configuration.Properties["sasl.mechanism"]);
        Assert.Equal("oidc", configuration.Properties["sasl.oauthbearer.method"]);
        Assert.Equal("kollect", configuration.Properties["sasl.oauthbearer.client.id"]);
        Assert.Equal(ClientSecret, configuration.Properties["sasl.oauthbearer.client.secret"]);
        Assert.Equal("https://idp.example.com/oauth2/token", configuration.Properties["sasl.oauthbearer.token.endpoint.url"]);
        Assert.Equal("kafka", configuration.Properties["sasl.oauthbearer.scope"]);
        Assert.Equal("logicalCluster=lkc-1", configuration.Properties["sasl.oauthbearer.extensions"]);
        Assert.Null(configuration.OAuthBearerToken);
        Assert.Equal("<redacted>", configuration.DescribeProperties()["sasl.oauthbearer.client.secret"]);
        Assert.DoesNotContain(ClientSecret, configuration.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, (Plain() with { OAuthBearer = Oidc() }).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_fingerprint_follows_the_static_token_and_the_client_secret()
    {
        string Fingerprint(KafkaOAuthBearerSettings bearer) => KafkaProducerConfiguration.Derive(Plain() with { OAuthBearer = bearer }).Fingerprint;

        Assert.Equal(Fingerprint(new() { Token = Token }), Fingerprint(new() { Token = Token }));
        Assert.NotEqual(Fingerprint(new() { Token = Token }), Fingerprint(new() { Token = Token + "-rotated" }));
        Assert.NotEqual(Fingerprint(Oidc()), Fingerprint(Oidc() with { ClientSecret = "other" }));
    }

    [Theory]
    [InlineData(null, "s", "https://idp.example.com/t", "oauthbearer.client.id")]
    [InlineData("c", null, "https://idp.example.com/t", "oauthbearer.client.secret")]
    [InlineData("c", "s", null, "oauthbearer.token.endpoint.url")]
    [InlineData("c", "s", "ftp://idp.example.com/t", "https://")]
    public void Incomplete_OIDC_settings_name_the_missing_key(string? clientId, string? secret, string? endpoint, string expected)
    {
        var settings = Plain() with { OAuthBearer = new KafkaOAuthBearerSettings { ClientId = clientId, ClientSecret = secret, TokenEndpointUrl = endpoint } };

        var e = Assert.Throws<KafkaSinkConfigurationException>(() => KafkaProducerConfiguration.Derive(settings));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Username_password_and_OAUTHBEARER_together_are_refused()
    {
        var settings = Plain() with { Sasl = new KafkaSaslCredentials("u", "p"), OAuthBearer = new KafkaOAuthBearerSettings { Token = Token } };

        var e = Assert.Throws<KafkaSinkConfigurationException>(() => KafkaProducerConfiguration.Derive(settings));

        Assert.Contains("keep one SASL mechanism", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_JWT_tokens_expiry_and_subject_become_lifetime_and_principal()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        string Jwt(string claims) => "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(claims)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";

        Assert.Equal((1_800_000_600_000L, "svc-kollect"), KafkaStaticBearerToken.Describe(Jwt("{\"sub\":\"svc-kollect\",\"exp\":1800000600}"), now));
        Assert.Equal(((now + TimeSpan.FromHours(1)).ToUnixTimeMilliseconds(), "kollect"), KafkaStaticBearerToken.Describe("opaque-token", now));
        // An expired JWT is still offered (the broker says why it refuses), for an hour at a time.
        Assert.Equal((now + TimeSpan.FromHours(1)).ToUnixTimeMilliseconds(), KafkaStaticBearerToken.Describe(Jwt("{\"exp\":1}"), now).LifetimeMs);
    }

    [Fact]
    public void The_shipped_librdkafka_accepts_both_configurations_and_calls_the_token_handler()
    {
        // Real librdkafka (the shipped 2.16 build with sasl_oauthbearer and oidc): rd_kafka_new
        // validates the OAUTHBEARER properties, and the refresh event arrives on the first poll.
        ShippedLibrdkafka.EnsureInstalled();
        var oidc = KafkaProducerConfiguration.Derive(Plain() with { OAuthBearer = Oidc() });
        using (var producer = new ProducerBuilder<byte[], byte[]>(oidc.Properties).Build())
        {
            Assert.NotNull(producer.Name);
        }

        var bearer = KafkaProducerConfiguration.Derive(Plain() with { OAuthBearer = new KafkaOAuthBearerSettings { Token = Token } });
        using var called = new ManualResetEventSlim();
        using var withToken = new ProducerBuilder<byte[], byte[]>(bearer.Properties)
            .SetOAuthBearerTokenRefreshHandler((client, _) =>
            {
                KafkaStaticBearerToken.Refresh(client, bearer.OAuthBearerToken!, TimeProvider.System);
                called.Set();
            })
            .Build();
        withToken.Poll(TimeSpan.FromSeconds(2));
        Assert.True(called.Wait(TimeSpan.FromSeconds(10)), "librdkafka never asked for the OAUTHBEARER token");
    }
}
