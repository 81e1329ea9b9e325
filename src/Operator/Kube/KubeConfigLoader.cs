using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Kollect.Operator.Kube;

/// <summary>
/// Turns a kubeconfig (or the in-cluster service account) into a <see cref="KubeClientConfig"/>:
/// reads certificate and key files, decodes the <c>-data</c> fields, sets up token sources.
/// </summary>
public static class KubeConfigLoader
{
    /// <summary>Default location of the mounted service account (overridable for tests).</summary>
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>
    /// Picks the configuration as kubectl and controller-runtime do: an explicit kubeconfig path,
    /// else <c>KUBECONFIG</c> (several files separated by ':'), else in-cluster when
    /// <c>KUBERNETES_SERVICE_HOST</c> is set, else <c>~/.kube/config</c>.
    /// </summary>
    public static KubeClientConfig Load(string? kubeconfig, string? context, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            return FromKubeconfigFiles(kubeconfig.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries), context);
        }
        if (environment("KUBECONFIG") is { Length: > 0 } fromEnvironment)
        {
            return FromKubeconfigFiles(fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries), context);
        }
        if (environment("KUBERNETES_SERVICE_HOST") is { Length: > 0 })
        {
            return InCluster(environment);
        }
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (File.Exists(home))
        {
            return FromKubeconfigFiles([home], context);
        }
        throw new KubeConfigException("no Kubernetes configuration found: pass --kubeconfig, set KUBECONFIG, or run in a cluster with a service account.");
    }

    public static KubeClientConfig FromKubeconfigFiles(IReadOnlyList<string> paths, string? context)
    {
        var document = new KubeConfigDocument();
        var found = false;
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                if (paths.Count == 1)
                {
                    throw new KubeConfigException($"kubeconfig file {path} does not exist.");
                }
                continue;
            }
            found = true;
            var full = Path.GetFullPath(path);
            document.Merge(File.ReadAllText(full), Path.GetDirectoryName(full) ?? ".", full);
        }
        if (!found)
        {
            throw new KubeConfigException($"none of the kubeconfig files exist: {string.Join(", ", paths)}.");
        }
        return FromDocument(document, context);
    }

    public static KubeClientConfig FromDocument(KubeConfigDocument document, string? context)
    {
        var (name, ctx, cluster, user) = document.Resolve(context);
        if (!Uri.TryCreate(cluster.Server, UriKind.Absolute, out var server))
        {
            throw new KubeConfigException($"kubeconfig cluster '{ctx.Cluster}' has server '{cluster.Server}', which is not an absolute URL.");
        }
        var authorities = new X509Certificate2Collection();
        if (cluster.CertificateAuthorityData is { } caData)
        {
            authorities.ImportFromPem(DecodeBase64(caData, $"clusters[{ctx.Cluster}].certificate-authority-data"));
        }
        else if (cluster.CertificateAuthority is { } caFile)
        {
            authorities.ImportFromPemFile(caFile);
        }
        X509Certificate2? clientCertificate = null;
        var certPem = user.ClientCertificateData is { } cd ? DecodeBase64(cd, $"users[{ctx.User}].client-certificate-data")
            : user.ClientCertificate is { } cf ? File.ReadAllText(cf) : null;
        var keyPem = user.ClientKeyData is { } kd ? DecodeBase64(kd, $"users[{ctx.User}].client-key-data")
            : user.ClientKey is { } kf ? File.ReadAllText(kf) : null;
        if (certPem is not null || keyPem is not null)
        {
            if (certPem is null || keyPem is null)
            {
                throw new KubeConfigException($"kubeconfig user '{ctx.User}' has a client certificate or key but not both; set client-certificate(-data) and client-key(-data).");
            }
            clientCertificate = X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        IBearerTokenSource? credentials = user.Exec is { } exec ? new ExecCredentialSource(exec)
            : user.Token is { } token ? new StaticTokenSource(token)
            : user.TokenFile is { } tokenFile ? new TokenFileSource(tokenFile)
            : null;
        return new KubeClientConfig
        {
            Server = server,
            CertificateAuthorities = authorities,
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            ClientCertificate = clientCertificate,
            Credentials = credentials,
            Namespace = ctx.Namespace ?? "default",
            Source = $"kubeconfig context {name}",
        };
    }

    /// <summary>
    /// In-cluster configuration: <c>KUBERNETES_SERVICE_HOST/PORT</c> and the mounted service
    /// account; the token is re-read as the kubelet rotates it.
    /// </summary>
    public static KubeClientConfig InCluster(Func<string, string?>? environment = null, string directory = ServiceAccountDirectory, TimeSpan? tokenRefreshInterval = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("in-cluster configuration needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT; outside a cluster pass --kubeconfig.");
        }
        var tokenPath = Path.Combine(directory, "token");
        if (!File.Exists(tokenPath))
        {
            throw new KubeConfigException($"in-cluster configuration: service account token {tokenPath} does not exist; is automountServiceAccountToken disabled?");
        }
        var authorities = new X509Certificate2Collection();
        var caPath = Path.Combine(directory, "ca.crt");
        if (File.Exists(caPath))
        {
            authorities.ImportFromPemFile(caPath);
        }
        var namespacePath = Path.Combine(directory, "namespace");
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new KubeClientConfig
        {
            Server = new Uri($"https://{hostPart}:{port}"),
            CertificateAuthorities = authorities,
            Credentials = new TokenFileSource(tokenPath, tokenRefreshInterval),
            Namespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : "default",
            Source = "in-cluster service account",
        };
    }

    private static string DecodeBase64(string value, string field)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException e)
        {
            throw new KubeConfigException($"kubeconfig {field} is not valid base64.", e);
        }
    }
}
