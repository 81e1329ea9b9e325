using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// Everything the NATS client and publisher need, resolved from a <c>KollectEventSink</c> and its
/// Secret by the caller (SPEC §2.1, §6.2). Defaults live here and only here.
/// </summary>
/// <remarks><see cref="ToString"/> redacts secrets (SPEC §6.5).</remarks>
public sealed record NatsSinkOptions
{
    /// <summary><c>nats://host:port</c>, <c>tls://host:port</c> or <c>host:port</c>.</summary>
    public required string Url { get; init; }

    /// <summary>Publish subject, also the stream's subject (no wildcards).</summary>
    public required string Subject { get; init; }

    /// <summary>Stream name as written in the sink; normalised by <see cref="NatsStreamName.Normalize"/>.</summary>
    public string? Stream { get; init; }

    /// <summary>Whether a missing stream is created.</summary>
    public NatsProvisioningMode Provisioning { get; init; } = NatsProvisioningMode.Ensure;

    /// <summary>Credentials.</summary>
    public NatsAuthOptions Auth { get; init; } = NatsAuthOptions.None;

    /// <summary>TLS settings.</summary>
    public NatsTlsOptions Tls { get; init; } = NatsTlsOptions.None;

    /// <summary>Endpoint guard flags (SPEC §6.5).</summary>
    public EndpointPolicy EndpointPolicy { get; init; } = EndpointPolicy.PublicOnly;

    /// <summary>Client name sent in CONNECT (visible in the server's monitoring).</summary>
    public string ClientName { get; init; } = "kollect";

    /// <summary>Limit for TCP connect, TLS handshake and CONNECT/PONG together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit for one request (JetStream API call, PubAck).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of keep-alive PINGs.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Unanswered PINGs after which the connection is considered dead.</summary>
    public int MaxPingsOutstanding { get; init; } = 2;

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="ReconnectDelayMax"/>, with jitter.</summary>
    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Largest reconnect delay.</summary>
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc/>
    public override string ToString() =>
        $"NatsSinkOptions {{ Url = {Url}, Subject = {Subject}, Stream = {NatsStreamName.Normalize(Stream)}, Provisioning = {Provisioning}, Auth = {Auth}, Tls = {Tls} }}";
}
