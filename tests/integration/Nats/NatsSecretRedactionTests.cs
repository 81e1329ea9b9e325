using System.Net;
using System.Net.Sockets;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Integration.Nats;

/// <summary>SPEC §6.5: a canary secret must appear in no exception, probe result or options text.</summary>
public sealed class NatsSecretRedactionTests : IClassFixture<TestCertificates>
{
    private const string CanaryPassword = "canary-PW-7f3c9e21d4";
    private const string CanaryToken = "canary-TOKEN-91b0aa55";
    private const string CanaryKeyMarker = "canary-KEY";

    private readonly TestCertificates _certs;

    public NatsSecretRedactionTests(TestCertificates certs) => _certs = certs;

    [Fact]
    public void Options_text_shows_no_secret()
    {
        NatsSinkOptions options = NatsTestOptions.For("nats://nats.example.com:4222") with
        {
            Auth = new NatsAuthOptions { Username = "kollect", Password = CanaryPassword, Token = CanaryToken },
            Tls = new NatsTlsOptions { Enabled = true, ClientCertificatePem = "cert", ClientKeyPem = CanaryKeyMarker },
        };

        AssertNoCanary(options.ToString());
        AssertNoCanary(options.Auth.ToString());
        AssertNoCanary(options.Tls.ToString());
        Assert.Contains("kollect", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_without_showing_it()
    {
        using NatsServerProcess server = NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(dir, "authorization { user: \"kollect\", password: \"right-pass\", timeout: 10 }"));
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with { Auth = new NatsAuthOptions { Username = "kollect", Password = CanaryPassword } };

        await AssertFailsWithoutCanaryAsync(options, NatsFailureKind.AuthenticationFailed);
    }

    [Fact]
    public async Task A_wrong_token_fails_without_showing_it()
    {
        using NatsServerProcess server = NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(dir, "authorization { token: \"right-token\", timeout: 10 }"));
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with { Auth = new NatsAuthOptions { Token = CanaryToken } };

        await AssertFailsWithoutCanaryAsync(options, NatsFailureKind.AuthenticationFailed);
    }

    [Fact]
    public async Task A_tls_failure_does_not_show_the_password()
    {
        using NatsServerProcess server = NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(
            dir,
            $"tls {{\n  cert_file: \"{_certs.Path_("server.crt")}\"\n  key_file: \"{_certs.Path_("server.key")}\"\n  timeout: 10\n}}\nauthorization {{ user: \"kollect\", password: \"right-pass\", timeout: 10 }}"));
        NatsSinkOptions options = NatsTestOptions.For(server.Url) with
        {
            Auth = new NatsAuthOptions { Username = "kollect", Password = CanaryPassword },
            Tls = new NatsTlsOptions { Enabled = true, CaPem = _certs.Pem("other-ca.crt") },
        };

        await AssertFailsWithoutCanaryAsync(options, NatsFailureKind.TlsFailed);
    }

    [Fact]
    public async Task A_connect_timeout_does_not_show_the_password()
    {
        // A listener that accepts TCP but never sends INFO.
        using TcpListener silent = new(IPAddress.Loopback, 0);
        silent.Start();
        NatsSinkOptions options = NatsTestOptions.For($"nats://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}") with
        {
            Auth = new NatsAuthOptions { Username = "kollect", Password = CanaryPassword },
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
        };

        await AssertFailsWithoutCanaryAsync(options, NatsFailureKind.Timeout);
    }

    private static async Task AssertFailsWithoutCanaryAsync(NatsSinkOptions options, NatsFailureKind expected)
    {
        await using NatsEventPublisher publisher = new(options);

        NatsProbeResult probe = await publisher.ProbeAsync(CancellationToken.None);
        NatsException failure = await Assert.ThrowsAsync<NatsException>(
            () => publisher.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None));

        Assert.Equal(expected, probe.Failure);
        Assert.Equal(expected, failure.Kind);
        AssertNoCanary(probe.ToString());
        // ToString covers the message, the inner exceptions and their stack traces.
        AssertNoCanary(failure.ToString());
    }

    private static void AssertNoCanary(string text)
    {
        Assert.DoesNotContain(CanaryPassword, text, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKeyMarker, text, StringComparison.Ordinal);
    }
}
