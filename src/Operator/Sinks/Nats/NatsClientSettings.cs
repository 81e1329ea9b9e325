using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kollect.Operator.Sinks.Common;
using NATS.Client.Core;
using NATS.NKeys;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// Turns a sink's <see cref="NatsSinkOptions"/> into NATS.Net's <see cref="NatsOpts"/> for one
/// connection: URL, credentials (token, user/password, creds, nkey), TLS with the sink's CA and
/// client certificate checked by us (so a failure says which check failed), the guarded dial, and
/// the keep-alive and reconnect settings. NATS.Net logs nothing (no logger factory), so no secret
/// can reach a log through it.
/// </summary>
internal sealed class NatsClientSettings
{
    private const int DefaultPort = 4222;
    private readonly NatsAuthOpts _authOpts;
    private readonly X509Certificate2Collection? _trustedCas;
    private readonly X509Certificate2Collection _clientCertificates;
    private string? _tlsProblem;

    private NatsClientSettings(NatsSinkOptions options, string url, string host, int port, bool tlsByScheme)
    {
        Options = options;
        Url = url;
        Host = host;
        Endpoint = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        TlsRequired = tlsByScheme || options.Tls.Enabled;
        Dialer = new GuardedSocketConnectionFactory(options.EndpointPolicy);
        _authOpts = CreateAuthOpts(options.Auth);
        (_trustedCas, _clientCertificates) = LoadTls(options.Tls);
    }

    public NatsSinkOptions Options { get; }

    /// <summary><c>nats://host:port</c> or <c>tls://host:port</c>, as NATS.Net dials it.</summary>
    public string Url { get; }

    public string Host { get; }

    /// <summary><c>host:port</c>, for messages.</summary>
    public string Endpoint { get; }

    /// <summary>True when the sink requires TLS (<c>tls://</c> or a <c>tls</c> block).</summary>
    public bool TlsRequired { get; }

    public GuardedSocketConnectionFactory Dialer { get; }

    /// <summary>Why our check refused the server certificate in the last handshake, or null.</summary>
    public string? TlsProblem => Volatile.Read(ref _tlsProblem);

    /// <summary>Checks the URL, the credentials and the TLS material; throws <see cref="NatsException"/> (<see cref="NatsFailureKind.InvalidConfiguration"/>).</summary>
    public static NatsClientSettings For(NatsSinkOptions options)
    {
        string url = options.Url.Trim();
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        string scheme = schemeEnd < 0 ? "nats" : url[..schemeEnd].ToLowerInvariant(); // not a Kollect field: a URL scheme
        if (scheme is not ("nats" or "tls")) // not a Kollect field: URL schemes
        {
            throw new NatsException(NatsFailureKind.InvalidConfiguration, $"NATS URL '{url}' has scheme '{scheme}'; use nats://host:port or tls://host:port");
        }

        if (!EndpointGuard.TrySplitEndpoint(url, out string host, out int? port, out string? error))
        {
            throw new NatsException(NatsFailureKind.InvalidConfiguration, error);
        }

        int p = port ?? DefaultPort;
        string shownHost = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new NatsClientSettings(options, $"{scheme}://{shownHost}:{p}", host, p, scheme == "tls"); // not a Kollect field: a URL scheme
    }

    /// <summary>The options of one NATS.Net connection.</summary>
    public NatsOpts CreateOpts()
    {
        NatsSinkOptions o = Options;
        return new NatsOpts
        {
            Url = Url,
            Name = o.ClientName,
            Echo = false,
            AuthOpts = _authOpts,
            TlsOpts = new NatsTlsOpts
            {
                // Require: a sink that asks for TLS never falls back to plain text; Prefer: upgrade
                // when the server offers TLS (as the server's tls_required demands).
                Mode = TlsRequired ? TlsMode.Require : TlsMode.Prefer,
                ConfigureClientAuthentication = ConfigureTlsAsync,
            },
            SocketConnectionFactory = Dialer,
            ConnectTimeout = o.ConnectTimeout,
            RequestTimeout = o.RequestTimeout,
            CommandTimeout = o.RequestTimeout,
            PingInterval = o.PingInterval,
            MaxPingOut = o.MaxPingsOutstanding,
            ReconnectWaitMin = o.ReconnectDelayMin,
            ReconnectWaitMax = o.ReconnectDelayMax,
            ReconnectJitter = o.ReconnectDelayMin,
            MaxReconnectRetry = -1,
            // Keep reconnecting after a rejected credential: the Secret may be fixed, and the
            // gateway replaces this connection when it changes.
            IgnoreAuthErrorAbort = true,
        };
    }

    private static NatsAuthOpts CreateAuthOpts(NatsAuthOptions auth)
    {
        if (auth.Creds is not null)
        {
            if (NatsAuthOptions.DescribeCredsProblem(auth.Creds) is { } problem)
            {
                throw new NatsException(NatsFailureKind.InvalidConfiguration, problem);
            }

            return new NatsAuthOpts { Creds = auth.Creds };
        }

        if (auth.NKeySeed is not null)
        {
            return new NatsAuthOpts { NKey = NKeyPublicKey(auth.NKeySeed), Seed = auth.NKeySeed };
        }

        if (auth.Token is not null)
        {
            return new NatsAuthOpts { Token = auth.Token };
        }

        return auth.Username is not null
            ? new NatsAuthOpts { Username = auth.Username, Password = auth.Password ?? string.Empty }
            : NatsAuthOpts.Default;
    }

    /// <summary>The public key of an NKey seed; throws <see cref="NatsException"/> without showing the seed.</summary>
    public static string NKeyPublicKey(string seed)
    {
        try
        {
            using KeyPair pair = KeyPair.FromSeed(seed.Trim().AsSpan());
            return pair.GetPublicKey();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The library's message may quote the input: never pass it on (SPEC §6.5).
            throw new NatsException(NatsFailureKind.InvalidConfiguration, "the sink's Secret key 'nkey' is not an NKey seed (a line starting with 'S', as 'nk -gen user' prints)");
        }
    }

    private static (X509Certificate2Collection? TrustedCas, X509Certificate2Collection ClientCertificates) LoadTls(NatsTlsOptions tls)
    {
        X509Certificate2Collection? trustedCas = null;
        if (tls.CaPem is not null && !tls.InsecureSkipVerify)
        {
            trustedCas = [];
            trustedCas.ImportFromPem(tls.CaPem);
            if (trustedCas.Count == 0)
            {
                throw new NatsException(NatsFailureKind.InvalidConfiguration, $"the sink's CA bundle ({EventSinkFields.TlsCaBundle} / {EventSinkFields.CaSecretRef}) contains no PEM certificate");
            }
        }

        X509Certificate2Collection clientCertificates = [];
        if (tls.ClientCertificatePem is not null || tls.ClientKeyPem is not null)
        {
            if (tls.ClientCertificatePem is null || tls.ClientKeyPem is null)
            {
                throw new NatsException(NatsFailureKind.InvalidConfiguration, "the sink's Secret has only one of tls.crt and tls.key; a client certificate needs both"); // not a Kollect field: Secret data keys
            }

            try
            {
                clientCertificates.Add(X509Certificate2.CreateFromPem(tls.ClientCertificatePem, tls.ClientKeyPem));
            }
            catch (CryptographicException e)
            {
                throw new NatsException(NatsFailureKind.InvalidConfiguration, "the client certificate or key in the sink's Secret (tls.crt / tls.key) is not a valid PEM certificate and matching private key", e); // not a Kollect field: Secret data keys
            }
        }

        return (trustedCas, clientCertificates);
    }

    private ValueTask ConfigureTlsAsync(SslClientAuthenticationOptions ssl)
    {
        bool insecure = Options.Tls.InsecureSkipVerify;
        X509Certificate2Collection? trustedCas = _trustedCas;
        Volatile.Write(ref _tlsProblem, null);
        ssl.TargetHost = Host;
        ssl.ClientCertificates = _clientCertificates;
        ssl.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
        ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            string? problem = insecure ? null : CheckServerCertificate(certificate as X509Certificate2, errors, trustedCas);
            Volatile.Write(ref _tlsProblem, problem);
            return problem is null;
        };
        return ValueTask.CompletedTask;
    }

    private string? CheckServerCertificate(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2Collection? trustedCas)
    {
        if (certificate is null)
        {
            return "the server presented no certificate";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return $"the server certificate is not valid for host '{Host}' (name mismatch)";
        }

        if (trustedCas is null)
        {
            return errors == SslPolicyErrors.None ? null : $"the server certificate is not trusted by the system CA store ({errors}); set {EventSinkFields.TlsCaBundle} or {EventSinkFields.TlsCaSecretRef}";
        }

        using X509Chain chain = new();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate))
        {
            return null;
        }

        string statuses = string.Join(", ", chain.ChainStatus.Select(status => status.Status.ToString()).Distinct());
        return $"the server certificate is not signed by the configured CA ({statuses})";
    }
}
