namespace Kollect.Operator.Sinks.Kafka;

/// <summary>TLS settings of a Kafka sink: the sink's <c>tls</c> block plus the client certificate from its Secret (SPEC §2.1).</summary>
/// <remarks>
/// <see cref="ToString"/> shows which parts are present, never the PEM text: the private key is
/// a secret, and the certificates are noise in a log line (SPEC §6.5).
/// </remarks>
public sealed record KafkaTlsSettings
{
    /// <summary>Whether TLS is on. A present <c>tls</c> block turns it on (SPEC §2.1).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>PEM bundle of the certificate authorities trusted for the brokers; null uses the system store.</summary>
    public string? CaPem { get; init; }

    /// <summary>Skip verification of the broker certificate and host name; reported as <c>TLSInsecure</c>.</summary>
    public bool InsecureSkipVerify { get; init; }

    /// <summary>PEM client certificate (Secret key <c>tls.crt</c>) for mutual TLS.</summary>
    public string? ClientCertificatePem { get; init; }

    /// <summary>PEM private key of the client certificate (Secret key <c>tls.key</c>).</summary>
    public string? ClientKeyPem { get; init; }

    /// <summary>Describes the settings without their PEM content.</summary>
    public override string ToString() =>
        $"KafkaTlsSettings {{ Enabled = {Enabled}, CaPem = {Presence(CaPem)}, InsecureSkipVerify = {InsecureSkipVerify}, " +
        $"ClientCertificatePem = {Presence(ClientCertificatePem)}, ClientKeyPem = {(ClientKeyPem is null ? "<none>" : "<redacted>")} }}";

    private static string Presence(string? pem) => pem is null ? "<none>" : "<present>";
}
