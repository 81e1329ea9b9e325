using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kollect.Operator.Kube;

namespace Kollect.Tests.Unit.Kube;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kollect-kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

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

    [Theory]
    [InlineData("rsa")]
    [InlineData("ec")]
    public void Client_certificate_data_with_rsa_or_ec_key_loads_with_its_private_key(string algorithm)
    {
        using AsymmetricAlgorithm key = algorithm == "rsa" ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (certPem, keyPem) = SelfSigned(key);
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, $"""
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
            """);
        var config = KubeConfigLoader.FromKubeconfigFiles([path], null);
        Assert.True(config.ClientCertificate!.HasPrivateKey);
        Assert.Single(config.CertificateAuthorities);
        Assert.Null(config.Credentials);
        Assert.Equal("default", config.Namespace);
    }

    [Fact]
    public void Certificate_and_key_files_are_read_relative_to_the_kubeconfig()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (certPem, keyPem) = SelfSigned(key);
        Directory.CreateDirectory(Path.Combine(_dir, "pki"));
        File.WriteAllText(Path.Combine(_dir, "pki", "user.crt"), certPem);
        File.WriteAllText(Path.Combine(_dir, "pki", "user.key"), keyPem);
        File.WriteAllText(Path.Combine(_dir, "pki", "ca.crt"), certPem);
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, """
            current-context: c
            clusters:
            - name: k
              cluster: {server: "https://127.0.0.1:6443", certificate-authority: pki/ca.crt}
            users:
            - name: u
              user: {client-certificate: pki/user.crt, client-key: pki/user.key, tokenFile: pki/token}
            contexts:
            - name: c
              context: {cluster: k, user: u, namespace: ops}
            """);
        var config = KubeConfigLoader.FromKubeconfigFiles([path], null);
        Assert.True(config.ClientCertificate!.HasPrivateKey);
        Assert.Equal(Path.Combine(_dir, "pki", "token"), Assert.IsType<TokenFileSource>(config.Credentials).Path);
        Assert.Equal("ops", config.Namespace);
    }

    [Fact]
    public void Certificate_without_key_is_an_error_that_names_the_user()
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, """
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
    }

    [Fact]
    public void In_cluster_config_reads_the_service_account_directory()
    {
        File.WriteAllText(Path.Combine(_dir, "token"), "sa-token\n");
        File.WriteAllText(Path.Combine(_dir, "namespace"), "kollect-system");
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        var config = KubeConfigLoader.InCluster(n => env.GetValueOrDefault(n), _dir);
        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Server);
        Assert.Equal("kollect-system", config.Namespace);
        Assert.IsType<TokenFileSource>(config.Credentials);
    }

    [Fact]
    public void In_cluster_config_without_token_says_what_is_missing()
    {
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.InCluster(n => env.GetValueOrDefault(n), _dir));
        Assert.Contains("token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_file_is_re_read_when_forced_after_rotation()
    {
        var path = Path.Combine(_dir, "token");
        File.WriteAllText(path, "one");
        var source = new TokenFileSource(path, TimeSpan.FromHours(1));
        Assert.Equal("one", await source.GetTokenAsync(false, CancellationToken.None));
        File.WriteAllText(path, "two");
        Assert.Equal("one", await source.GetTokenAsync(false, CancellationToken.None));
        Assert.Equal("two", await source.GetTokenAsync(true, CancellationToken.None));
    }
}
