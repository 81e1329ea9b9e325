using NATS.NKeys;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Integration.Nats;

/// <summary>SPEC §2.1: the <c>creds</c> (user JWT + NKey seed) and <c>nkey</c> Secret keys against a real nats-server.</summary>
public sealed class NatsCredsAndNKeyTests
{
    [Fact]
    public async Task Creds_of_a_user_of_a_trusted_account_publish_and_an_untrusted_user_is_refused()
    {
        NatsOperatorFixture chain = NatsOperatorFixture.Create();
        using NatsServerProcess server = NatsServerProcess.Start(chain.WriteServerConfig);
        await using NatsEventPublisher trusted = new(NatsTestOptions.For(server.Url) with { Auth = new NatsAuthOptions { Creds = chain.UserCreds } });
        string untrustedCreds = NatsOperatorFixture.UntrustedUserCreds();
        await using NatsEventPublisher untrusted = new(NatsTestOptions.For(server.Url) with { Auth = new NatsAuthOptions { Creds = untrustedCreds } });

        NatsProbeResult probe = await trusted.ProbeAsync(CancellationToken.None);
        NatsPublishResult ack = await trusted.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);
        NatsProbeResult refused = await untrusted.ProbeAsync(CancellationToken.None);
        NatsException failure = await Assert.ThrowsAsync<NatsException>(
            () => untrusted.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-2", CancellationToken.None));

        Assert.True(probe.Verified, probe.Message);
        Assert.Equal(new NatsPublishResult("kollect_events", 1, Duplicate: false), ack);
        Assert.Equal(NatsFailureKind.AuthenticationFailed, refused.Failure);
        Assert.Contains("'creds'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(NatsFailureKind.AuthenticationFailed, failure.Kind);
        Assert.False(failure.IsTransient);
        AssertNoSecret(untrustedCreds, refused.ToString() + failure);
    }

    [Fact]
    public async Task An_nkey_seed_of_a_configured_user_publishes_and_another_seed_is_refused()
    {
        using KeyPair user = KeyPair.CreatePair(PrefixByte.User);
        using KeyPair stranger = KeyPair.CreatePair(PrefixByte.User);
        using NatsServerProcess server = NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(dir, $"authorization {{ timeout: 10, users: [ {{ nkey: \"{user.GetPublicKey()}\" }} ] }}"));
        await using NatsEventPublisher good = new(NatsTestOptions.For(server.Url) with { Auth = new NatsAuthOptions { NKeySeed = user.GetSeed() } });
        await using NatsEventPublisher bad = new(NatsTestOptions.For(server.Url) with { Auth = new NatsAuthOptions { NKeySeed = stranger.GetSeed() } });

        NatsProbeResult probe = await good.ProbeAsync(CancellationToken.None);
        NatsPublishResult ack = await good.PublishAsync("kollect.events", NatsTestOptions.Headers(), "{}"u8.ToArray(), "id-1", CancellationToken.None);
        NatsProbeResult refused = await bad.ProbeAsync(CancellationToken.None);

        Assert.True(probe.Verified, probe.Message);
        Assert.Equal(1ul, ack.Sequence);
        Assert.Equal(NatsFailureKind.AuthenticationFailed, refused.Failure);
        Assert.Contains("'nkey'", refused.Message, StringComparison.Ordinal);
        AssertNoSecret(stranger.GetSeed(), refused.ToString());
    }

    private static void AssertNoSecret(string secret, string text)
    {
        foreach (string line in secret.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 20))
        {
            Assert.DoesNotContain(line, text, StringComparison.Ordinal);
        }
    }
}
