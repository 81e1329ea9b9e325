using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Integration.Nats;

public sealed class NatsAuthAndTlsTests : IClassFixture<TestCertificates>
{
    private readonly TestCertificates _certs;

    public NatsAuthAndTlsTests(TestCertificates certs) => _certs = certs;

    [Fact]
    public async Task User_and_password_from_the_config_file_are_accepted()
    {
        using NatsServerProcess server = NatsServerProcess.Start(dir => Config(dir, "authorization { user: \"kollect\", password: \"right-pass\", timeout: 10 }"));
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with
        {
            Auth = new NatsAuthOptions { Username = "kollect", Password = "right-pass" },
        };
        await using NatsEventPublisher publisher = new(options);

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);
        NatsPublishResult ack = await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);

        Assert.True(probe.Verified, probe.Message);
        Assert.Equal(1ul, ack.Sequence);
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_authentication_failure()
    {
        using NatsServerProcess server = NatsServerProcess.Start(dir => Config(dir, "authorization { user: \"kollect\", password: \"right-pass\", timeout: 10 }"));
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with
        {
            Auth = new NatsAuthOptions { Username = "kollect", Password = "wrong-pass" },
        };
        await using NatsEventPublisher publisher = new(options);

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);
        NatsException failure = await Assert.ThrowsAsync<NatsException>(
            () => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None));

        Assert.False(probe.Verified);
        Assert.Equal(NatsFailureKind.AuthenticationFailed, probe.Failure);
        Assert.Contains("rejected the credentials", probe.Message, StringComparison.Ordinal);
        Assert.Equal(NatsFailureKind.AuthenticationFailed, failure.Kind);
        Assert.False(failure.IsTransient);
    }

    [Fact]
    public async Task Token_auth_is_accepted_and_a_missing_token_is_rejected()
    {
        using NatsServerProcess server = NatsServerProcess.Start(dir => Config(dir, "authorization { token: \"tok-123\", timeout: 10 }"));
        NatsSinkOptions withToken = NatsTestOptions.For(server.Url) with { Auth = new NatsAuthOptions { Token = "tok-123" } };
        await using NatsEventPublisher good = new(withToken);
        await using NatsEventPublisher none = new(NatsTestOptions.For(server.Url));

        Assert.True((await good.ProbeAsync(CancellationToken.None)).Verified);
        Assert.Equal(NatsFailureKind.AuthenticationFailed, (await none.ProbeAsync(CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task A_publish_permission_denied_by_the_server_is_reported_at_once()
    {
        using NatsServerProcess server = NatsServerProcess.Start(dir => Config(
            dir,
            "authorization { timeout: 10, users: [ { user: \"kollect\", password: \"p\", permissions: { publish: { deny: [\"kollect.events\"] } } } ] }"));
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with
        {
            Auth = new NatsAuthOptions { Username = "kollect", Password = "p" },
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
        await using NatsEventPublisher publisher = new(options);

        NatsException denied = await Assert.ThrowsAsync<NatsException>(
            () => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None));

        Assert.Equal(NatsFailureKind.PermissionDenied, denied.Kind);
        Assert.False(denied.IsTransient);
        Assert.Contains("kollect.events", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_with_the_right_ca_is_verified()
    {
        using NatsServerProcess server = StartTlsServer(requireClientCertificate: false);
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with
        {
            Tls = new NatsTlsOptions { Enabled = true, CaPem = _certs.Pem("ca.crt") },
        };
        await using NatsEventPublisher publisher = new(options);

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);
        NatsPublishResult ack = await publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);

        Assert.True(probe.Verified, probe.Message);
        Assert.Equal("kollect_events", ack.Stream);
    }

    [Fact]
    public async Task Tls_with_a_wrong_ca_is_a_certificate_error()
    {
        using NatsServerProcess server = StartTlsServer(requireClientCertificate: false);
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with
        {
            Tls = new NatsTlsOptions { Enabled = true, CaPem = _certs.Pem("other-ca.crt") },
        };
        await using NatsEventPublisher publisher = new(options);

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.False(probe.Verified);
        Assert.Equal(NatsFailureKind.TlsFailed, probe.Failure);
        Assert.Contains("not signed by the configured CA", probe.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_without_any_ca_uses_the_system_store_and_fails_for_a_private_ca()
    {
        using NatsServerProcess server = StartTlsServer(requireClientCertificate: false);
        NatsSinkOptions options = NatsTestOptions.For("tls://127.0.0.1:" + server.Port);
        await using NatsEventPublisher publisher = new(options);

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.Equal(NatsFailureKind.TlsFailed, probe.Failure);
        Assert.Contains("system CA store", probe.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_with_insecure_skip_verify_connects()
    {
        using NatsServerProcess server = StartTlsServer(requireClientCertificate: false);
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with
        {
            Tls = new NatsTlsOptions { Enabled = true, CaPem = _certs.Pem("other-ca.crt"), InsecureSkipVerify = true },
        };
        await using NatsEventPublisher publisher = new(options);

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.True(probe.Verified, probe.Message);
    }

    [Fact]
    public async Task A_required_client_certificate_is_presented_and_its_absence_is_a_tls_error()
    {
        using NatsServerProcess server = StartTlsServer(requireClientCertificate: true);
        NatsTlsOptions tls = new() { Enabled = true, CaPem = _certs.Pem("ca.crt") };
        await using NatsEventPublisher withCertificate = new(NatsTestOptions.For(server.Url) with
        {
            Tls = tls with { ClientCertificatePem = _certs.Pem("client.crt"), ClientKeyPem = _certs.Pem("client.key") },
        });
        await using NatsEventPublisher withoutCertificate = new(NatsTestOptions.For(server.Url) with { Tls = tls });

        NatsProbeResult accepted = await withCertificate.ProbeAsync(CancellationToken.None);
        NatsProbeResult refused = await withoutCertificate.ProbeAsync(CancellationToken.None);

        Assert.True(accepted.Verified, accepted.Message);
        Assert.False(refused.Verified);
        Assert.Equal(NatsFailureKind.TlsFailed, refused.Failure);
    }

    [Fact]
    public async Task Requiring_tls_from_a_plain_server_fails_clearly()
    {
        using NatsServerProcess server = NatsServerProcess.Start();
        await using NatsEventPublisher publisher = new(NatsTestOptions.For("tls://127.0.0.1:" + server.Port));

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);

        Assert.Equal(NatsFailureKind.TlsFailed, probe.Failure);
        Assert.Contains("does not offer it", probe.Message, StringComparison.Ordinal);
    }

    private NatsServerProcess StartTlsServer(bool requireClientCertificate)
    {
        // timeout: the server's default TLS handshake limit (0.5 s) is too short on a loaded CI machine.
        string verify = requireClientCertificate ? $"ca_file: \"{_certs.Path_("ca.crt")}\"\n  verify: true" : "";
        return NatsServerProcess.Start(dir => Config(dir, $"tls {{\n  cert_file: \"{_certs.Path_("server.crt")}\"\n  key_file: \"{_certs.Path_("server.key")}\"\n  timeout: 10\n  {verify}\n}}"));
    }

    internal static string Config(string directory, string text)
    {
        string path = Path.Combine(directory, "nats.conf");
        File.WriteAllText(path, text + "\n");
        return path;
    }
}
