using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kollect.Operator.Sinks.Common;

/// <summary>
/// Decides whether a sink may connect to an address or host (SPEC §6.5): a syntax-level check for
/// validation time and a dial-time check of every address a host name resolves to.
/// </summary>
/// <remarks>
/// Classification is pure; only <see cref="ResolveAllowedAddressesAsync"/> does I/O (DNS). Callers
/// must dial exactly the addresses it returns, not resolve the name again, so a DNS answer that
/// changes between check and dial cannot smuggle in a denied address.
/// </remarks>
public static class EndpointGuard
{
    /// <summary>The operator flag that allows RFC 1918 and fc00::/7 sink addresses.</summary>
    public const string AllowPrivateFlag = "--allow-private-sinks";

    /// <summary>The operator flag that allows loopback sink addresses.</summary>
    public const string AllowLoopbackFlag = "--allow-loopback-sinks";

    private enum RangeClass
    {
        AlwaysDenied,
        Loopback,
        Private,
    }

    private sealed record AddressRange(byte[] Network, int PrefixLength, RangeClass Class, string Cidr, string What)
    {
        public bool Contains(ReadOnlySpan<byte> address)
        {
            if (address.Length != Network.Length)
            {
                return false;
            }

            int fullBytes = PrefixLength / 8;
            if (!address[..fullBytes].SequenceEqual(Network.AsSpan(0, fullBytes)))
            {
                return false;
            }

            int remainingBits = PrefixLength % 8;
            if (remainingBits == 0)
            {
                return true;
            }

            int mask = 0xFF << (8 - remainingBits) & 0xFF;
            return (address[fullBytes] & mask) == (Network[fullBytes] & mask);
        }
    }

    // Order matters: the first matching range wins, so more specific ranges come first.
    private static readonly AddressRange[] s_ranges =
    [
        Range("0.0.0.0/8", RangeClass.AlwaysDenied, "unspecified (\"this network\") address"),
        Range("127.0.0.0/8", RangeClass.Loopback, "loopback address"),
        Range("169.254.0.0/16", RangeClass.AlwaysDenied, "link-local address (the range of cloud metadata services such as 169.254.169.254)"),
        Range("100.64.0.0/10", RangeClass.AlwaysDenied, "carrier-grade NAT shared address"),
        Range("198.18.0.0/15", RangeClass.AlwaysDenied, "benchmarking address"),
        Range("224.0.0.0/4", RangeClass.AlwaysDenied, "multicast address"),
        Range("240.0.0.0/4", RangeClass.AlwaysDenied, "reserved or broadcast address"),
        Range("10.0.0.0/8", RangeClass.Private, "private address"),
        Range("172.16.0.0/12", RangeClass.Private, "private address"),
        Range("192.168.0.0/16", RangeClass.Private, "private address"),
        Range("::/128", RangeClass.AlwaysDenied, "unspecified address"),
        Range("::1/128", RangeClass.Loopback, "loopback address"),
        Range("fe80::/10", RangeClass.AlwaysDenied, "link-local address"),
        Range("ff00::/8", RangeClass.AlwaysDenied, "multicast address"),
        Range("fd00:ec2::254/128", RangeClass.AlwaysDenied, "cloud metadata service address"),
        Range("fc00::/7", RangeClass.Private, "private (unique local) address"),
        Range("fec0::/10", RangeClass.Private, "private (deprecated site-local) address"),
    ];

    private static readonly AddressRange s_nat64 = Range("64:ff9b::/96", RangeClass.Private, "NAT64 address");

    // Host names of cloud metadata services; they answer with credentials, so never a sink.
    private static readonly HashSet<string> s_metadataHostNames = new(StringComparer.Ordinal)
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.internal",
        "metadata.tencentyun.com",
        "100-100-100-200.metadata",
    };

    /// <summary>Classifies one IP address under <paramref name="policy"/>.</summary>
    public static EndpointGuardResult CheckAddress(IPAddress address, EndpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(policy);

        string shown = Show(address);
        IPAddress? embedded = EmbeddedIPv4(address);
        if (embedded is not null)
        {
            EndpointGuardResult inner = CheckAddress(embedded, policy);
            return inner.Allowed
                ? inner
                : EndpointGuardResult.Deny($"{shown} embeds the IPv4 address {embedded}: {inner.Message}");
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int length))
        {
            return EndpointGuardResult.Deny($"{shown} is not an address the endpoint guard can classify");
        }

        foreach (AddressRange range in s_ranges)
        {
            if (range.Contains(bytes[..length]))
            {
                return Judge(shown, range, policy);
            }
        }

        return EndpointGuardResult.Allow;
    }

    /// <summary>
    /// Syntax-level check of a host (name or IP literal, IPv6 with or without brackets); no DNS.
    /// </summary>
    public static EndpointGuardResult CheckHost(string host, EndpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(policy);

        string trimmed = host.Trim();
        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            trimmed = trimmed[1..^1];
        }

        if (trimmed.Length == 0)
        {
            return EndpointGuardResult.Deny("the sink endpoint has an empty host");
        }

        // IPAddress.TryParse also accepts the shorthand forms a resolver accepts (127.1, 2130706433).
        if (IPAddress.TryParse(trimmed, out IPAddress? literal))
        {
            return CheckAddress(literal, policy);
        }

        string name = trimmed.TrimEnd('.').ToLowerInvariant();
        if (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return policy.AllowLoopback
                ? EndpointGuardResult.Allow
                : EndpointGuardResult.Deny(
                    $"host '{trimmed}' names the loopback interface; loopback sinks are allowed only with {AllowLoopbackFlag} (development and tests)");
        }

        if (s_metadataHostNames.Contains(name))
        {
            return EndpointGuardResult.Deny(
                $"host '{trimmed}' is a cloud metadata service name; sinks may never connect there");
        }

        return EndpointGuardResult.Allow;
    }

    /// <summary>
    /// Syntax-level check of an endpoint as written in a sink: a URL (<c>nats://host:4222</c>,
    /// <c>tls://[::1]:4222</c>) or <c>host:port</c> / <c>host</c>. Usable at validation time; no DNS.
    /// </summary>
    public static EndpointGuardResult CheckEndpoint(string endpoint, EndpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(policy);

        if (!TrySplitEndpoint(endpoint, out string host, out _, out string? error))
        {
            return EndpointGuardResult.Deny(error);
        }

        EndpointGuardResult verdict = CheckHost(host, policy);
        return verdict.Allowed ? verdict : EndpointGuardResult.Deny($"sink endpoint '{endpoint.Trim()}': {verdict.Message}");
    }

    /// <summary>
    /// Splits a URL or <c>host:port</c> into host (without IPv6 brackets) and port (null when absent).
    /// </summary>
    public static bool TrySplitEndpoint(string endpoint, out string host, out int? port, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        host = string.Empty;
        port = null;
        error = null;

        string text = endpoint.Trim();
        if (text.Length == 0)
        {
            error = "the sink endpoint is empty";
            return false;
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Host.Length == 0)
            {
                error = $"sink endpoint '{text}' is not a valid URL; expected scheme://host:port";
                return false;
            }

            host = uri.Host.StartsWith('[') ? uri.Host[1..^1] : uri.Host;
            port = uri.IsDefaultPort || uri.Port < 0 ? null : uri.Port;
            return true;
        }

        string portText;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = $"sink endpoint '{text}' has an unclosed '[' around an IPv6 address";
                return false;
            }

            host = text[1..close];
            string rest = text[(close + 1)..];
            if (rest.Length == 0)
            {
                return true;
            }

            if (!rest.StartsWith(':'))
            {
                error = $"sink endpoint '{text}' has unexpected text after ']'; expected [address]:port";
                return false;
            }

            portText = rest[1..];
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                // No port, or a bare IPv6 address (several colons) without a port.
                host = text;
                return true;
            }

            host = text[..colon];
            portText = text[(colon + 1)..];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed is < 1 or > 65535)
        {
            error = $"sink endpoint '{text}' has an invalid port '{portText}'; expected 1-65535";
            return false;
        }

        if (host.Length == 0)
        {
            error = $"sink endpoint '{text}' has an empty host";
            return false;
        }

        port = parsed;
        return true;
    }

    /// <summary>
    /// Dial-time check: resolves <paramref name="host"/> and checks <b>every</b> address it resolves
    /// to. Returns the addresses to dial; throws <see cref="EndpointDeniedException"/> when the name
    /// or any address is denied.
    /// </summary>
    public static async Task<IPAddress[]> ResolveAllowedAddressesAsync(string host, EndpointPolicy policy, CancellationToken cancellationToken)
    {
        EndpointGuardResult byName = CheckHost(host, policy);
        if (!byName.Allowed)
        {
            throw new EndpointDeniedException(byName.Message!);
        }

        string bare = host.Trim().TrimStart('[').TrimEnd(']');
        IPAddress[] addresses = IPAddress.TryParse(bare, out IPAddress? literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        foreach (IPAddress address in addresses)
        {
            EndpointGuardResult verdict = CheckAddress(address, policy);
            if (!verdict.Allowed)
            {
                throw new EndpointDeniedException(
                    $"sink host '{bare}' resolves to {string.Join(", ", addresses.Select(Show))}; {verdict.Message}");
            }
        }

        return addresses;
    }

    private static EndpointGuardResult Judge(string shown, AddressRange range, EndpointPolicy policy) => range.Class switch
    {
        RangeClass.Loopback when policy.AllowLoopback => EndpointGuardResult.Allow,
        RangeClass.Loopback => EndpointGuardResult.Deny(
            $"{shown} is a {range.What} ({range.Cidr}); loopback sinks are allowed only with {AllowLoopbackFlag} (development and tests)"),
        RangeClass.Private when policy.AllowPrivate => EndpointGuardResult.Allow,
        RangeClass.Private => EndpointGuardResult.Deny(
            $"{shown} is a {range.What} ({range.Cidr}); private sinks are allowed only with {AllowPrivateFlag}"),
        _ => EndpointGuardResult.Deny($"{shown} is a {range.What} ({range.Cidr}); sinks may never connect there"),
    };

    // IPv4 addresses carried inside IPv6 ones reach the IPv4 host, so they are judged as IPv4:
    // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d).
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        byte[] bytes = address.GetAddressBytes();
        bool compatible = bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0
            && bytes.AsSpan(12).IndexOfAnyExcept((byte)0) >= 0
            && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0);
        if (compatible || s_nat64.Contains(bytes))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return null;
    }

    private static string Show(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }

        return address.ToString();
    }

    private static AddressRange Range(string cidr, RangeClass rangeClass, string what)
    {
        int slash = cidr.IndexOf('/', StringComparison.Ordinal);
        byte[] network = IPAddress.Parse(cidr[..slash]).GetAddressBytes();
        int prefix = int.Parse(cidr[(slash + 1)..], CultureInfo.InvariantCulture);
        return new AddressRange(network, prefix, rangeClass, cidr, what);
    }
}
