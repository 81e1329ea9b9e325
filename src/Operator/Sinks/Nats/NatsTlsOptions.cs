namespace Kollect.Operator.Sinks.Nats;

/// <summary>TLS settings of a NATS sink (SPEC §2.1 <c>tls</c>, client certificate from the Secret).</summary>
/// <remarks><see cref="ToString"/> never shows the private key (SPEC §6.5).</remarks>
public sealed record NatsTlsOptions
{
    /// <summary>No TLS unless the server or a <c>tls://</c> URL requires it.</summary>
    public static NatsTlsOptions None { get; } = new();

    /// <summary>TLS is required by the sink (a present <c>tls</c> block turns it on).</summary>
    public bool Enabled { get; init; }

    /// <summary>PEM of the CA certificates that must sign the server certificate; null uses the system store.</summary>
    public string? CaPem { get; init; }

    /// <summary>Accept any server certificate (reported as <c>TLSInsecure</c>).</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>PEM of the client certificate (<c>tls.crt</c>).</summary>
    public string? ClientCertificatePem { get; init; }

    /// <summary>PEM of the client certificate's private key (<c>tls.key</c>).</summary>
    public string? ClientKeyPem { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"NatsTlsOptions {{ Enabled = {Enabled}, CustomCa = {CaPem is not null}, InsecureSkipVerify = {InsecureSkipVerify}, ClientCertificate = {ClientCertificatePem is not null} }}";
}
