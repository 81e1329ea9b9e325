using System.Net;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Tests.Unit.Sinks;

public sealed class EndpointGuardTests
{
    private static readonly EndpointPolicy s_none = new(AllowPrivate: false, AllowLoopback: false);
    private static readonly EndpointPolicy s_private = new(AllowPrivate: true, AllowLoopback: false);
    private static readonly EndpointPolicy s_loopback = new(AllowPrivate: false, AllowLoopback: true);
    private static readonly EndpointPolicy s_both = new(AllowPrivate: true, AllowLoopback: true);

    public enum Expect
    {
        Public,
        Loopback,
        Private,
        Denied,
    }

    [Theory]
    [InlineData("8.8.8.8", Expect.Public)]
    [InlineData("1.1.1.1", Expect.Public)]
    [InlineData("172.15.255.255", Expect.Public)]
    [InlineData("172.32.0.1", Expect.Public)]
    [InlineData("100.63.255.255", Expect.Public)]
    [InlineData("100.128.0.0", Expect.Public)]
    [InlineData("198.17.255.255", Expect.Public)]
    [InlineData("198.20.0.0", Expect.Public)]
    [InlineData("223.255.255.255", Expect.Public)]
    [InlineData("127.0.0.1", Expect.Loopback)]
    [InlineData("127.255.255.254", Expect.Loopback)]
    [InlineData("10.0.0.1", Expect.Private)]
    [InlineData("10.255.255.255", Expect.Private)]
    [InlineData("172.16.0.1", Expect.Private)]
    [InlineData("172.31.255.255", Expect.Private)]
    [InlineData("192.168.1.10", Expect.Private)]
    [InlineData("0.0.0.0", Expect.Denied)]
    [InlineData("0.1.2.3", Expect.Denied)]
    [InlineData("169.254.169.254", Expect.Denied)]
    [InlineData("169.254.0.1", Expect.Denied)]
    [InlineData("100.64.0.1", Expect.Denied)]
    [InlineData("100.127.255.255", Expect.Denied)]
    [InlineData("198.18.0.1", Expect.Denied)]
    [InlineData("198.19.255.255", Expect.Denied)]
    [InlineData("224.0.0.1", Expect.Denied)]
    [InlineData("239.255.255.250", Expect.Denied)]
    [InlineData("255.255.255.255", Expect.Denied)]
    [InlineData("2001:4860:4860::8888", Expect.Public)]
    [InlineData("::1", Expect.Loopback)]
    [InlineData("::", Expect.Denied)]
    [InlineData("fe80::1", Expect.Denied)]
    [InlineData("febf:ffff::1", Expect.Denied)]
    [InlineData("ff02::1", Expect.Denied)]
    [InlineData("fd00:ec2::254", Expect.Denied)]
    [InlineData("fc00::1", Expect.Private)]
    [InlineData("fd12:3456::1", Expect.Private)]
    [InlineData("::ffff:127.0.0.1", Expect.Loopback)]
    [InlineData("::ffff:169.254.169.254", Expect.Denied)]
    [InlineData("::ffff:10.1.2.3", Expect.Private)]
    [InlineData("::ffff:8.8.8.8", Expect.Public)]
    [InlineData("::127.0.0.1", Expect.Loopback)]
    [InlineData("64:ff9b::169.254.169.254", Expect.Denied)]
    [InlineData("64:ff9b::8.8.8.8", Expect.Public)]
    public void Classifies_addresses_under_every_flag_combination(string address, Expect expected)
    {
        IPAddress ip = IPAddress.Parse(address);

        Assert.Equal(expected is Expect.Public, EndpointGuard.CheckAddress(ip, s_none).Allowed);
        Assert.Equal(expected is Expect.Public or Expect.Private, EndpointGuard.CheckAddress(ip, s_private).Allowed);
        Assert.Equal(expected is Expect.Public or Expect.Loopback, EndpointGuard.CheckAddress(ip, s_loopback).Allowed);
        Assert.Equal(expected is not Expect.Denied, EndpointGuard.CheckAddress(ip, s_both).Allowed);
    }

    [Theory]
    [InlineData("nats.example.com", Expect.Public)]
    [InlineData("kafka-0.kafka.svc.cluster.local", Expect.Public)]
    [InlineData("localhost", Expect.Loopback)]
    [InlineData("LOCALHOST.", Expect.Loopback)]
    [InlineData("nats.localhost", Expect.Loopback)]
    [InlineData("metadata", Expect.Denied)]
    [InlineData("metadata.google.internal", Expect.Denied)]
    [InlineData("Metadata.Google.Internal.", Expect.Denied)]
    [InlineData("instance-data.ec2.internal", Expect.Denied)]
    [InlineData("127.1", Expect.Loopback)]
    [InlineData("2130706433", Expect.Loopback)]
    [InlineData("[::1]", Expect.Loopback)]
    [InlineData("[fe80::1]", Expect.Denied)]
    [InlineData("", Expect.Denied)]
    public void Classifies_host_names_without_resolving_them(string host, Expect expected)
    {
        Assert.Equal(expected is Expect.Public, EndpointGuard.CheckHost(host, s_none).Allowed);
        Assert.Equal(expected is Expect.Public or Expect.Private, EndpointGuard.CheckHost(host, s_private).Allowed);
        Assert.Equal(expected is Expect.Public or Expect.Loopback, EndpointGuard.CheckHost(host, s_loopback).Allowed);
        Assert.Equal(expected is not Expect.Denied, EndpointGuard.CheckHost(host, s_both).Allowed);
    }

    [Theory]
    [InlineData("nats://10.0.0.5:4222", "10.0.0.5", "10.0.0.0/8", "--allow-private-sinks")]
    [InlineData("tls://[::1]:4222", "::1", "::1/128", "--allow-loopback-sinks")]
    [InlineData("127.0.0.1:9092", "127.0.0.1", "127.0.0.0/8", "--allow-loopback-sinks")]
    [InlineData("192.168.0.7", "192.168.0.7", "192.168.0.0/16", "--allow-private-sinks")]
    [InlineData("[fd00::5]:4222", "fd00::5", "fc00::/7", "--allow-private-sinks")]
    [InlineData("nats://localhost:4222", "localhost", "loopback", "--allow-loopback-sinks")]
    public void Denial_names_the_address_the_range_and_the_flag(string endpoint, string address, string range, string flag)
    {
        EndpointGuardResult verdict = EndpointGuard.CheckEndpoint(endpoint, s_none);

        Assert.False(verdict.Allowed);
        Assert.Contains(address, verdict.Message, StringComparison.Ordinal);
        Assert.Contains(range, verdict.Message, StringComparison.Ordinal);
        Assert.Contains(flag, verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nats://169.254.169.254:4222")]
    [InlineData("metadata.google.internal:80")]
    [InlineData("tls://[::ffff:169.254.169.254]:4222")]
    public void Always_denied_endpoints_name_no_flag(string endpoint)
    {
        EndpointGuardResult verdict = EndpointGuard.CheckEndpoint(endpoint, s_both);

        Assert.False(verdict.Allowed);
        Assert.Contains("never", verdict.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--allow", verdict.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nats://nats.example.com:4222", "nats.example.com", 4222)]
    [InlineData("tls://nats.example.com", "nats.example.com", null)]
    [InlineData("nats.example.com:4222", "nats.example.com", 4222)]
    [InlineData("nats.example.com", "nats.example.com", null)]
    [InlineData("[2001:db8::1]:4222", "2001:db8::1", 4222)]
    [InlineData("2001:db8::1", "2001:db8::1", null)]
    [InlineData("nats://[2001:db8::1]:4222", "2001:db8::1", 4222)]
    public void Splits_endpoints_into_host_and_port(string endpoint, string host, int? port)
    {
        Assert.True(EndpointGuard.TrySplitEndpoint(endpoint, out string actualHost, out int? actualPort, out string? error), error);
        Assert.Equal(host, actualHost);
        Assert.Equal(port, actualPort);
    }

    [Theory]
    [InlineData("host:0")]
    [InlineData("host:70000")]
    [InlineData("host:abc")]
    [InlineData("[::1")]
    [InlineData(":4222")]
    [InlineData("   ")]
    public void Rejects_malformed_endpoints_with_a_message(string endpoint)
    {
        EndpointGuardResult verdict = EndpointGuard.CheckEndpoint(endpoint, s_both);

        Assert.False(verdict.Allowed);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Message));
    }

    [Fact]
    public async Task Dial_time_check_rejects_a_name_that_resolves_to_loopback()
    {
        // "localhost" is denied by name before any lookup; a literal is checked without DNS.
        await Assert.ThrowsAsync<EndpointDeniedException>(() => EndpointGuard.ResolveAllowedAddressesAsync("localhost", s_private, CancellationToken.None));
        EndpointDeniedException denied = await Assert.ThrowsAsync<EndpointDeniedException>(
            () => EndpointGuard.ResolveAllowedAddressesAsync("127.0.0.1", s_private, CancellationToken.None));
        Assert.Contains("--allow-loopback-sinks", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dial_time_check_returns_the_allowed_addresses()
    {
        IPAddress[] addresses = await EndpointGuard.ResolveAllowedAddressesAsync("127.0.0.1", s_loopback, CancellationToken.None);

        Assert.Equal([IPAddress.Loopback], addresses);
    }
}
