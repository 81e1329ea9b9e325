using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// The server certificate check of <c>sslmode=verify-ca</c> and <c>verify-full</c> (SPEC §2.5). The
/// operator dials the addresses the endpoint guard approved, not the host name, so Npgsql would check
/// the certificate against an IP address; this check runs instead, against the host name of the
/// connection string (also sent as SNI) and the CA of <c>spec.tls</c> (or the system's CAs).
/// <see cref="LastFailure"/> says why the last check failed, for the error message, since the TLS
/// handshake itself only reports that it failed.
/// </summary>
public sealed class PostgresCertificateCheck(PostgresSslMode mode, string hostName, X509Certificate2Collection? roots)
{
    private volatile string? _lastFailure;

    public string? LastFailure => _lastFailure;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (mode is not (PostgresSslMode.VerifyCa or PostgresSslMode.VerifyFull))
        {
            return true;
        }

        if (certificate is null)
        {
            return Fail("the server sent no certificate");
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (mode == PostgresSslMode.VerifyFull && !leaf.MatchesHostname(hostName))
        {
            return Fail($"the server certificate ({leaf.Subject}) does not name {hostName} (sslmode=verify-full)");
        }

        if (roots is null)
        {
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0
                || Fail($"the server certificate ({leaf.Subject}) is not issued by a CA the system trusts; set {DatabaseSinkFields.SpecTlsCaBundle} or {DatabaseSinkFields.CaSecretRef}");
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(leaf)
            || Fail($"the server certificate ({leaf.Subject}) is not issued by the CA of {DatabaseSinkFields.SpecTls} ({string.Join("; ", custom.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct())})");
    }

    private bool Fail(string reason)
    {
        _lastFailure = reason;
        return false;
    }
}
