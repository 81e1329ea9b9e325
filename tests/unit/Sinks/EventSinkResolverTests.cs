using System.Text;
using System.Text.Json.Nodes;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Kafka;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Unit.Sinks;

public sealed class EventSinkResolverTests
{
    private const string Canary = "canary-pw-7f3a91";
    private const string CaPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private readonly Dictionary<(string, string), Dictionary<string, byte[]>> _secrets = [];

    private void AddSecret(string ns, string name, params (string Key, string Value)[] data) =>
        _secrets[(ns, name)] = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value));

    private EventSinkResolution Resolve(string json, bool allowCrossNamespace = false) =>
        new EventSinkResolver(
                (ns, name) => _secrets.TryGetValue((ns, name), out var data) ? data : null,
                new EventSinkResolverOptions { AllowCrossNamespaceSecrets = allowCrossNamespace, EndpointPolicy = new EndpointPolicy(AllowLoopback: true) })
            .Resolve((JsonObject)JsonNode.Parse(json)!);

    private static string Sink(string spec) =>
        $$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectEventSink","metadata":{"name":"orders","namespace":"team-a"},"spec":{{spec}}}""";

    private static string KafkaSink(string extra = "", string kafka = "\"brokers\":[\"b1:9092\"],") =>
        Sink($$"""{"type":"kafka","kafka":{{{kafka}}"topic":"inventory"}{{extra}}}""");

    private static string NatsSink(string extra = "", string nats = "\"url\":\"nats://n1:4222\",") =>
        Sink($$"""{"type":"nats","nats":{{{nats}}"subject":"inv.events"}{{extra}}}""");

    [Fact]
    public void KafkaBrokersFallBackToCommaSeparatedEndpoint()
    {
        var result = Resolve(KafkaSink(",\"endpoint\":\"b1:9092, b2:9093\"", kafka: ""));
        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(["b1:9092", "b2:9093"], result.Kafka!.Brokers);
        Assert.Equal("inventory", result.Kafka.Topic);
        Assert.Null(result.Kafka.Sasl);
        Assert.Null(result.Kafka.Tls);
    }

    [Fact]
    public void KafkaBrokersWinOverEndpoint()
    {
        var result = Resolve(KafkaSink(",\"endpoint\":\"other:9092\""));
        Assert.Equal(["b1:9092"], result.Kafka!.Brokers);
    }

    [Fact]
    public void KafkaWithoutBrokersOrEndpointFailsNamingTheField()
    {
        var result = Resolve(KafkaSink(kafka: ""));
        Assert.Equal(EventSinkResolveFailure.ConnectionTestFailed, result.Failure!.Reason);
        Assert.StartsWith("KollectEventSink team-a/orders: spec.kafka.brokers:", result.Failure.Message);
    }

    [Theory]
    [InlineData(null, KafkaSaslMechanism.ScramSha256)]
    [InlineData("PLAIN", KafkaSaslMechanism.Plain)]
    [InlineData("SCRAM-SHA-256", KafkaSaslMechanism.ScramSha256)]
    [InlineData("scram-sha-512", KafkaSaslMechanism.ScramSha512)]
    public void KafkaMechanismComesFromTheSecret(string? mechanism, KafkaSaslMechanism expected)
    {
        var data = new List<(string, string)> { ("username", "svc"), ("password", Canary) };
        if (mechanism is not null)
        {
            data.Add(("mechanism", mechanism));
        }

        AddSecret("team-a", "kafka-creds", [.. data]);
        var result = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"kafka-creds\"}"));
        Assert.Equal(new KafkaSaslCredentials("svc", Canary, expected), result.Kafka!.Sasl);
        Assert.DoesNotContain(Canary, result.Kafka.ToString());
    }

    [Fact]
    public void UnknownMechanismIsASecretProblemWithoutTheValue()
    {
        AddSecret("team-a", "kafka-creds", ("username", "svc"), ("password", Canary), ("mechanism", "GSSAPI"));
        var result = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"kafka-creds\"}"));
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, result.Failure!.Reason);
        Assert.Contains("mechanism must be PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER", result.Failure.Message);
        Assert.DoesNotContain(Canary, result.Failure.Message);
    }

    [Fact]
    public void KafkaTokenIsOAuthBearerWithAStaticToken()
    {
        AddSecret("team-a", "kafka-token", ("token", Canary));
        var result = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"kafka-token\"}"));
        Assert.Null(result.Failure);
        Assert.Null(result.Kafka!.Sasl);
        Assert.Equal(new KafkaOAuthBearerSettings { Token = Canary }, result.Kafka.OAuthBearer);
        Assert.DoesNotContain(Canary, result.Kafka.ToString());

        AddSecret("team-a", "kafka-token2", ("token", Canary), ("mechanism", "oauthbearer"));
        Assert.Equal(Canary, Resolve(KafkaSink(",\"secretRef\":{\"name\":\"kafka-token2\"}")).Kafka!.OAuthBearer!.Token);
    }

    [Fact]
    public void KafkaOAuthBearerWithOidcKeys()
    {
        AddSecret("team-a", "kafka-oidc", ("mechanism", "OAUTHBEARER"), ("oauthbearer.client.id", "kollect"), ("oauthbearer.client.secret", Canary),
            ("oauthbearer.token.endpoint.url", "https://idp.example.com/token"), ("oauthbearer.scope", "kafka"));
        var bearer = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"kafka-oidc\"}")).Kafka!.OAuthBearer!;
        Assert.True(bearer.IsOidc);
        Assert.Equal(("kollect", Canary, "https://idp.example.com/token", "kafka"), (bearer.ClientId, bearer.ClientSecret, bearer.TokenEndpointUrl, bearer.Scope));
    }

    [Theory]
    [InlineData("SCRAM-SHA-512", "key mechanism is SCRAM-SHA-512 but keys token / oauthbearer.* are for OAUTHBEARER")]
    [InlineData("GSSAPI", "key mechanism must be PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER")]
    public void KafkaTokenWithAnotherMechanismIsRefusedNamingSinkAndField(string mechanism, string expected)
    {
        AddSecret("team-a", "kafka-token", ("token", Canary), ("mechanism", mechanism));
        var result = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"kafka-token\"}"));
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, result.Failure!.Reason);
        Assert.Contains("KollectEventSink team-a/orders: spec.secretRef: Secret team-a/kafka-token: " + expected, result.Failure.Message);
        Assert.DoesNotContain(Canary, result.Failure.Message);
    }

    [Theory]
    [InlineData(new[] { "mechanism", "OAUTHBEARER" }, "mechanism OAUTHBEARER needs key token, or OIDC keys oauthbearer.client.id, oauthbearer.client.secret, oauthbearer.token.endpoint.url")]
    [InlineData(new[] { "oauthbearer.client.id", "c", "oauthbearer.client.secret", "s", "oauthbearer.token.endpoint.url", "https://169.254.169.254/token" }, "oauthbearer.token.endpoint.url: ")]
    [InlineData(new[] { "token", "t", "username", "u", "password", "p" }, "keys username/password and token / oauthbearer.* are both set")]
    public void KafkaIncompleteOrUnsafeOAuthBearerIsRefused(string[] pairs, string expected)
    {
        AddSecret("team-a", "kafka-bad", [.. pairs.Chunk(2).Select(p => (p[0], p[1]))]);
        var result = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"kafka-bad\"}"));
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, result.Failure!.Reason);
        Assert.Contains(expected, result.Failure.Message);
    }

    [Fact]
    public void BlockSecretRefWinsOverSpecSecretRef()
    {
        AddSecret("team-a", "block", ("username", "from-block"), ("password", Canary));
        AddSecret("team-a", "spec", ("username", "from-spec"), ("password", Canary));
        var result = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"spec\"}", kafka: "\"brokers\":[\"b1:9092\"],\"secretRef\":{\"name\":\"block\"},"));
        Assert.Equal("from-block", result.Kafka!.Sasl!.Username);
    }

    [Fact]
    public void MissingSecretIsSecretResolveFailedNamingResourceAndField()
    {
        var result = Resolve(KafkaSink(kafka: "\"brokers\":[\"b1:9092\"],\"secretRef\":{\"name\":\"kafka-creds\"},"));
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, result.Failure!.Reason);
        Assert.Equal("KollectEventSink team-a/orders: spec.kafka.secretRef: Secret team-a/kafka-creds not found", result.Failure.Message);
    }

    [Fact]
    public void MissingPasswordKeyIsSecretResolveFailed()
    {
        AddSecret("team-a", "kafka-creds", ("username", "svc"));
        var result = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"kafka-creds\"}"));
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, result.Failure!.Reason);
        Assert.Contains("spec.secretRef: Secret team-a/kafka-creds: key password is missing", result.Failure.Message);
    }

    [Fact]
    public void CrossNamespaceSecretIsRefusedUnlessAllowed()
    {
        AddSecret("shared", "creds", ("username", "svc"), ("password", Canary));
        var refused = Resolve(NatsSink(",\"secretRef\":{\"name\":\"creds\",\"namespace\":\"shared\"}"));
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, refused.Failure!.Reason);
        Assert.Contains("spec.secretRef.namespace", refused.Failure.Message);
        Assert.Contains("--allow-cross-namespace-secrets", refused.Failure.Message);

        var allowed = Resolve(NatsSink(",\"secretRef\":{\"name\":\"creds\",\"namespace\":\"shared\"}"), allowCrossNamespace: true);
        Assert.True(allowed.Succeeded, allowed.Failure?.Message);
        Assert.Equal(Canary, allowed.Nats!.Auth.Password);
    }

    [Fact]
    public void TlsBlockTurnsTlsOnWithBase64CaBundle()
    {
        var bundle = Convert.ToBase64String(Encoding.UTF8.GetBytes(CaPem));
        var result = Resolve(KafkaSink($",\"tls\":{{\"caBundle\":\"{bundle}\"}}"));
        Assert.Equal(new KafkaTlsSettings { Enabled = true, CaPem = CaPem }, result.Kafka!.Tls);
    }

    [Theory]
    [InlineData("ca.crt")]
    [InlineData("tls.crt")]
    public void CaSecretRefReadsCaCrtOrTlsCrt(string key)
    {
        AddSecret("team-a", "ca", (key, CaPem));
        var result = Resolve(NatsSink(",\"tls\":{\"caSecretRef\":{\"name\":\"ca\"},\"insecureSkipVerify\":true}"));
        Assert.Equal(new NatsTlsOptions { Enabled = true, CaPem = CaPem, InsecureSkipVerify = true }, result.Nats!.Tls);
    }

    [Fact]
    public void CaSecretWithoutCaKeyFails()
    {
        AddSecret("team-a", "ca", ("other", CaPem));
        var result = Resolve(NatsSink(",\"tls\":{\"caSecretRef\":{\"name\":\"ca\"}}"));
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, result.Failure!.Reason);
        Assert.Contains("spec.tls.caSecretRef: Secret team-a/ca: has neither key ca.crt nor tls.crt", result.Failure.Message);
    }

    [Fact]
    public void ClientCertificateComesFromTheSecretAndNeedsBothKeys()
    {
        AddSecret("team-a", "mtls", ("tls.crt", "CERT"), ("tls.key", Canary));
        var result = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"mtls\"},\"tls\":{}"));
        Assert.Equal("CERT", result.Kafka!.Tls!.ClientCertificatePem);
        Assert.Equal(Canary, result.Kafka.Tls.ClientKeyPem);
        Assert.DoesNotContain(Canary, result.Kafka.ToString());

        AddSecret("team-a", "half", ("tls.crt", "CERT"));
        var half = Resolve(KafkaSink(",\"secretRef\":{\"name\":\"half\"}"));
        Assert.Contains("key tls.key is missing", half.Failure!.Message);
    }

    [Fact]
    public void InvalidCaBundleFailsWithoutEchoingIt()
    {
        var result = Resolve(KafkaSink(",\"tls\":{\"caBundle\":\"not*base64\"}"));
        Assert.Equal("KollectEventSink team-a/orders: spec.tls.caBundle: is not valid base64; encode the PEM CA bundle with base64", result.Failure!.Message);
    }

    [Theory]
    [InlineData("gzip", KafkaCompression.Gzip)]
    [InlineData("snappy", KafkaCompression.Snappy)]
    [InlineData("zstd", KafkaCompression.Zstd)]
    [InlineData("none", KafkaCompression.None)]
    public void CompressionComesFromSerialization(string value, KafkaCompression expected) =>
        Assert.Equal(expected, Resolve(KafkaSink($",\"serialization\":{{\"format\":\"json\",\"compression\":\"{value}\"}}")).Kafka!.Compression);

    [Fact]
    public void NatsUrlFallsBackToEndpointAndStreamIsDefaulted()
    {
        var result = Resolve(NatsSink(",\"endpoint\":\"nats://n2:4222\"", nats: ""));
        Assert.Equal("nats://n2:4222", result.Nats!.Url);
        Assert.Equal("inv.events", result.Nats.Subject);
        Assert.Equal(NatsStreamName.Default, result.Nats.Stream);
        Assert.Equal(NatsProvisioningMode.Ensure, result.Nats.Provisioning);
        Assert.Equal(new EndpointPolicy(AllowLoopback: true), result.Nats.EndpointPolicy);
    }

    [Fact]
    public void NatsStreamDotsBecomeUnderscoresAndExistingModeIsKept()
    {
        var result = Resolve(NatsSink(",\"provisioning\":{\"mode\":\"existing\"}", nats: "\"url\":\"nats://n1:4222\",\"stream\":\"team.a\","));
        Assert.Equal("team_a", result.Nats!.Stream);
        Assert.Equal(NatsProvisioningMode.Existing, result.Nats.Provisioning);
    }

    [Fact]
    public void NatsTokenOrUserPassword()
    {
        AddSecret("team-a", "token", ("token", Canary));
        Assert.Equal(new NatsAuthOptions { Token = Canary }, Resolve(NatsSink(",\"secretRef\":{\"name\":\"token\"}")).Nats!.Auth);
        AddSecret("team-a", "user", ("username", "svc"), ("password", Canary));
        Assert.Equal(new NatsAuthOptions { Username = "svc", Password = Canary }, Resolve(NatsSink(",\"secretRef\":{\"name\":\"user\"}")).Nats!.Auth);
    }

    [Fact]
    public void NatsCredsAndNKeySeedsAreResolved()
    {
        using var pair = NATS.NKeys.KeyPair.CreatePair(NATS.NKeys.PrefixByte.User);
        var seed = pair.GetSeed();
        var creds = $"-----BEGIN NATS USER JWT-----\neyJhbGciOi.canary\n------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n{seed}\n------END USER NKEY SEED------\n";
        AddSecret("team-a", "jwt", ("creds", creds));
        Assert.Equal(new NatsAuthOptions { Creds = creds }, Resolve(NatsSink(",\"secretRef\":{\"name\":\"jwt\"}")).Nats!.Auth);

        AddSecret("team-a", "nkey", ("nkey", seed + "\n"));
        var auth = Resolve(NatsSink(",\"secretRef\":{\"name\":\"nkey\"}")).Nats!.Auth;
        Assert.Equal(seed, auth.NKeySeed);
        Assert.Equal("nkey", auth.Kind);
        Assert.DoesNotContain(seed, auth.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NatsBadCredsOrSeedFailWithoutShowingThem()
    {
        AddSecret("team-a", "jwt", ("creds", Canary));
        var creds = Resolve(NatsSink(",\"secretRef\":{\"name\":\"jwt\"}"));
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, creds.Failure!.Reason);
        Assert.Contains("spec.secretRef: Secret team-a/jwt: the sink's Secret key 'creds' is not a NATS credentials file", creds.Failure.Message);
        Assert.DoesNotContain(Canary, creds.Failure.Message);

        AddSecret("team-a", "badseed", ("creds", $"-----BEGIN NATS USER JWT-----\neyJ.x.y\n------END NATS USER JWT------\n-----BEGIN USER NKEY SEED-----\n{Canary}\n------END USER NKEY SEED------\n"));
        var badSeed = Resolve(NatsSink(",\"secretRef\":{\"name\":\"badseed\"}"));
        Assert.Contains("the NKey seed block of key 'creds' does not hold an NKey seed", badSeed.Failure!.Message);
        Assert.DoesNotContain(Canary, badSeed.Failure.Message);

        AddSecret("team-a", "nkey", ("nkey", Canary));
        var nkey = Resolve(NatsSink(",\"secretRef\":{\"name\":\"nkey\"}"));
        Assert.Equal(EventSinkResolveFailure.SecretResolveFailed, nkey.Failure!.Reason);
        Assert.Contains("key 'nkey' is not an NKey seed", nkey.Failure.Message);
        Assert.DoesNotContain(Canary, nkey.Failure.Message);
    }

    [Fact]
    public void UnknownTypeFails() =>
        Assert.Contains("spec.type: must be kafka or nats", Resolve(Sink("{\"type\":\"s3\"}")).Failure!.Message);
}
