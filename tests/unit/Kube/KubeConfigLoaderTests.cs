using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Authentication;
using Kollect.Operator.Kube;

namespace Kollect.Tests.Unit.Kube;

/// <summary>
/// Our loader over KubernetesClient.Aot's kubeconfig reading: context choice, merging, relative
/// paths, TLS material reaching the HTTP handler, and one-line errors naming file and context.
/// Exec plugins and the in-cluster path run processes and mounts: see tests/integration/Kube.
/// </summary>
public sealed class KubeConfigLoaderTests : IDisposable
{
    private const string TwoContexts = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: dev-cluster
          cluster:
            server: https://10.0.0.1:6443
        - name: prod-cluster
          cluster:
            server: https://prod.example:443
            insecure-skip-tls-verify: true
        users:
        - name: dev-user
          user:
            token: abc
        contexts:
        - name: dev
          context:
            cluster: dev-cluster
            user: dev-user
            namespace: team-a
        - name: prod
          context:
            cluster: prod-cluster
            user: dev-user
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("kollect-kube-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string yaml, string name = "config")
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static (string CertPem, string KeyPem) SelfSigned(AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest("CN=test-user", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest("CN=test-user", ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("key"),
        };
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var keyPem = key switch
        {
            RSA rsa => rsa.ExportRSAPrivateKeyPem(),
            ECDsa ec => ec.ExportECPrivateKeyPem(),
            _ => throw new ArgumentException("key"),
        };
        return (cert.ExportCertificatePem(), keyPem);
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static X509Certificate ClientCertificateOf(KubeClientConfig config)
    {
        using var handler = KubeClient.CreateHandler(config);
        var select = handler.SslOptions.LocalCertificateSelectionCallback ?? throw new InvalidOperationException("no client certificate configured");
        return select(new object(), "", new X509CertificateCollection(), null, []) ?? throw new InvalidOperationException("no client certificate selected");
    }

    [Fact]
    public void Current_context_gives_server_namespace_and_token()
    {
        var config = KubeConfigLoader.FromKubeconfigFiles([Write(TwoContexts)], null);
        Assert.Equal(new Uri("https://10.0.0.1:6443"), config.Server);
        Assert.Equal("team-a", config.Namespace);
        Assert.IsType<TokenCredentials>(config.Credentials);
        Assert.Null(config.RefreshCredentials);
        Assert.Contains("context dev", config.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Named_context_is_used_and_skip_verify_is_kept()
    {
        var config = KubeConfigLoader.FromKubeconfigFiles([Write(TwoContexts)], "prod");
        Assert.Equal(new Uri("https://prod.example:443"), config.Server);
        Assert.True(config.Library.SkipTlsVerify);
        Assert.Equal("default", config.Namespace);
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public void Client_certificate_data_with_rsa_or_ec_key_reaches_the_handler_with_its_private_key(string algorithm)
    {
        using AsymmetricAlgorithm key = algorithm == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (certPem, keyPem) = SelfSigned(key);
        var config = KubeConfigLoader.FromKubeconfigFiles([Write($"""
            current-context: c
            clusters:
            - name: k
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {B64(certPem)}
            users:
            - name: u
              user:
                client-certificate-data: {B64(certPem)}
                client-key-data: {B64(keyPem)}
            contexts:
            - name: c
              context: {"{"}cluster: k, user: u{"}"}
            """)], null);
        Assert.True(Assert.IsType<X509Certificate2>(ClientCertificateOf(config)).HasPrivateKey);
        Assert.Single(config.Library.SslCaCerts);
        Assert.Null(config.Credentials);
    }

    [Fact]
    public void Certificate_files_are_relative_to_their_own_kubeconfig_also_when_merged()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (certPem, keyPem) = SelfSigned(key);
        Write(certPem, "team/pki/user.crt");
        Write(keyPem, "team/pki/user.key");
        Write(certPem, "team/pki/ca.crt");
        var first = Write("""
            current-context: c
            contexts:
            - name: c
              context: {cluster: k, user: u, namespace: ops}
            """, "first/config");
        var second = Write("""
            clusters:
            - name: k
              cluster: {server: "https://127.0.0.1:6443", certificate-authority: pki/ca.crt}
            users:
            - name: u
              user: {client-certificate: pki/user.crt, client-key: pki/user.key}
            """, "team/config");
        var config = KubeConfigLoader.FromKubeconfigFiles([first, second], null);
        Assert.True(Assert.IsType<X509Certificate2>(ClientCertificateOf(config)).HasPrivateKey);
        Assert.Single(config.Library.SslCaCerts);
        Assert.Equal("ops", config.Namespace);
    }

    [Fact]
    public void First_file_wins_when_merging_like_kubectl()
    {
        var first = Write("""
            current-context: a
            clusters:
            - name: dev-cluster
              cluster: {server: "https://first:6443"}
            users:
            - name: me
              user: {token: t}
            contexts:
            - name: a
              context: {cluster: dev-cluster, user: me}
            """, "first");
        var second = Write(TwoContexts, "second");
        var merged = KubeConfigLoader.FromKubeconfigFiles([first, second], null);
        Assert.Equal(new Uri("https://first:6443"), merged.Server);
        var dev = KubeConfigLoader.FromKubeconfigFiles([first, second], "dev");
        Assert.Equal(new Uri("https://first:6443"), dev.Server);
        Assert.Equal("team-a", dev.Namespace);
        Assert.Equal(new Uri("https://prod.example:443"), KubeConfigLoader.FromKubeconfigFiles([first, second], "prod").Server);
    }

    [Fact]
    public void Unknown_context_names_the_file_the_context_and_the_known_ones()
    {
        var path = Write(TwoContexts);
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.FromKubeconfigFiles([path], "staging"));
        Assert.Equal($"kubeconfig {path} has no context 'staging': pass --context with one of [dev, prod].", error.Message);
    }

    [Fact]
    public void Missing_file_names_it_and_says_what_to_do()
    {
        var path = Path.Combine(_dir, "nope");
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.FromKubeconfigFiles([path], "c1"));
        Assert.Equal($"kubeconfig {path} does not exist (context c1): pass --kubeconfig with an existing file or set KUBECONFIG.", error.Message);
    }

    [Fact]
    public void Invalid_yaml_names_the_file_and_line_on_one_line()
    {
        var path = Write("clusters: [\n  - {");
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.FromKubeconfigFiles([path], null));
        Assert.StartsWith($"kubeconfig {path} is not a valid kubeconfig (line ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void No_current_context_lists_the_contexts()
    {
        var path = Write(TwoContexts.Replace("current-context: dev\n", "", StringComparison.Ordinal));
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.FromKubeconfigFiles([path], null));
        Assert.Contains("sets no current-context", error.Message, StringComparison.Ordinal);
        Assert.Contains("[dev, prod]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void User_with_a_certificate_but_no_key_is_an_error_naming_the_user_file_and_context()
    {
        var path = Write("""
            current-context: c
            clusters:
            - name: k
              cluster: {server: "https://127.0.0.1:6443"}
            users:
            - name: alice
              user: {client-certificate-data: Zm9v}
            contexts:
            - name: c
              context: {cluster: k, user: alice}
            """);
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.FromKubeconfigFiles([path], null));
        Assert.Contains("alice", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"kubeconfig {path}, context c: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
