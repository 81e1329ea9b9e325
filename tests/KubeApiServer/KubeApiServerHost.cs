using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// The running server: Kestrel on 127.0.0.1 in front of <see cref="ApiRequestHandler"/>. Tests
/// start it in-process; <c>scripts/local-apiserver.sh</c> runs it as its own process.
/// </summary>
public sealed class KubeApiServerHost : IAsyncDisposable
{
    private readonly X509Certificate2? _certificate;
    private readonly ApiRequestHandler _handler;
    private WebApplication? _app;

    private KubeApiServerHost(
        X509Certificate2? certificate, ApiRequestHandler handler,
        WebApplication app, string baseUrl, string? caPem, ObjectStore store, ResourceRegistry registry, FaultInjector faults, ServiceAccountTokens tokens, RbacAuthorizer? authorizer)
    {
        _certificate = certificate;
        _handler = handler;
        _app = app;
        BaseUrl = baseUrl;
        CertificateAuthorityPem = caPem;
        Store = store;
        Registry = registry;
        Faults = faults;
        Tokens = tokens;
        Authorizer = authorizer;
    }

    /// <summary>The bearer token of the kubeconfig: the admin (system:masters) user.</summary>
    public const string AdminToken = "kollect-test-token";

    public string BaseUrl { get; }

    /// <summary>The self-signed certificate (PEM) when serving HTTPS; clients trust it as their CA.</summary>
    public string? CertificateAuthorityPem { get; }

    public ObjectStore Store { get; }

    public ResourceRegistry Registry { get; }

    public FaultInjector Faults { get; }

    /// <summary>Issues and checks ServiceAccount tokens (TokenRequest).</summary>
    public ServiceAccountTokens Tokens { get; }

    /// <summary>The RBAC authorizer when <see cref="KubeApiServerOptions.Rbac"/> is on; null otherwise.</summary>
    public RbacAuthorizer? Authorizer { get; }

    public static async Task<KubeApiServerHost> StartAsync(KubeApiServerOptions options, CancellationToken cancellationToken = default)
    {
        X509Certificate2? certificate = options.Https ? CreateSelfSignedCertificate() : null;
        var store = new ObjectStore(options.HistoryWindow);
        var registry = new ResourceRegistry();
        var faults = new FaultInjector();
        var operations = new ResourceOperations(store, registry, TimeProvider.System);
        operations.EnsureInitialNamespaces();
        var tokens = new ServiceAccountTokens(store, TimeProvider.System);
        RbacAuthorizer? authorizer = null;
        if (options.Rbac)
        {
            BootstrapPolicy.Create(operations, registry);
            authorizer = new RbacAuthorizer(store);
        }
        var handler = new ApiRequestHandler(options, store, registry, operations, faults, tokens, authorizer, TimeProvider.System);
        var app = await ListenAsync(options.Port, certificate, handler, cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        handler.ServerAddress = new Uri(baseUrl).Authority;
        var caPem = certificate is null ? null : certificate.ExportCertificatePem();
        return new KubeApiServerHost(certificate, handler, app, baseUrl, caPem, store, registry, faults, tokens, authorizer);
    }

    /// <summary>True while the listener is stopped (<see cref="StopListeningAsync"/>).</summary>
    public bool IsDown => _app is null;

    /// <summary>
    /// An API server outage (fault tests, issue #13): closes the listener and every connection and
    /// watch, so clients see connection refused; the objects stay, as etcd keeps them while
    /// kube-apiserver restarts. <see cref="StartListeningAsync"/> brings it back on the same port.
    /// </summary>
    public async Task StopListeningAsync()
    {
        if (_app is not { } app)
        {
            return;
        }
        _app = null;
        Store.DropAllWatches();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }

    /// <summary>Listens again on the same address with the same state after <see cref="StopListeningAsync"/>.</summary>
    public async Task StartListeningAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            return;
        }
        _app = await ListenAsync(new Uri(BaseUrl).Port, _certificate, _handler, cancellationToken);
    }

    private static async Task<WebApplication> ListenAsync(int port, X509Certificate2? certificate, ApiRequestHandler handler, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>A kubeconfig (YAML) whose current context points at this server, as the admin unless another <paramref name="token"/> is given.</summary>
    public string KubeconfigYaml(string token = AdminToken)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("apiVersion: v1");
        yaml.AppendLine("kind: Config");
        yaml.AppendLine("clusters:");
        yaml.AppendLine("- name: kollect-test");
        yaml.AppendLine("  cluster:");
        yaml.AppendLine($"    server: {BaseUrl}");
        if (CertificateAuthorityPem is not null)
        {
            yaml.AppendLine($"    certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(CertificateAuthorityPem))}");
        }
        yaml.AppendLine("users:");
        yaml.AppendLine("- name: kollect-test");
        yaml.AppendLine("  user:");
        yaml.AppendLine($"    token: {token}");
        yaml.AppendLine("contexts:");
        yaml.AppendLine("- name: kollect-test");
        yaml.AppendLine("  context:");
        yaml.AppendLine("    cluster: kollect-test");
        yaml.AppendLine("    user: kollect-test");
        yaml.AppendLine("    namespace: default");
        yaml.AppendLine("current-context: kollect-test");
        return yaml.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await StopListeningAsync();
        Tokens.Dispose();
    }

    private static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kollect-test-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        // Kestrel needs a certificate whose private key it can use; a PKCS#12 round trip gives one.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
