using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Kollect.Testing.KubeApiServer;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Deploy;

/// <summary>
/// config/default installed as a platform team would: the test API server with HTTPS,
/// ServiceAccount authentication and RBAC; <c>kubectl apply -k config/default</c> as the admin;
/// the operator ServiceAccount's token from <c>kubectl create token</c>, laid out as the kubelet
/// mounts it; the Deployment's container args and env as the API server stored them. Also a real
/// nats-server that requires a token (so sinks need their Secrets) and librdkafka's mock Kafka.
/// </summary>
public sealed class Installation : IAsyncDisposable
{
    public const string Namespace = "kollect-system";
    public const string ServiceAccount = "kollect";
    public const string KafkaTopic = "kollect-inventory";
    public const string NatsToken = "e2e-nats-token";

    private Installation(KubeApiServerHost server, string directory, NatsServerProcess nats, KafkaMockCluster kafka, HttpClient http)
    {
        Server = server;
        Directory = directory;
        Nats = nats;
        Kafka = kafka;
        Http = http;
        Kube = new KubeResources(http);
    }

    public KubeApiServerHost Server { get; }

    public RbacAuthorizer Authorizer => Server.Authorizer!;

    /// <summary>Temp dir: the admin kubeconfig, kubectl's cache, the ServiceAccount mount.</summary>
    public string Directory { get; }

    public string AdminKubeconfig => Path.Combine(Directory, "kubeconfig");

    /// <summary>token, ca.crt and namespace, as mounted at /var/run/secrets/kubernetes.io/serviceaccount.</summary>
    public string ServiceAccountDirectory => Path.Combine(Directory, "serviceaccount");

    public NatsServerProcess Nats { get; }

    public KafkaMockCluster Kafka { get; }

    public HttpClient Http { get; }

    /// <summary>Admin access over HTTP for scenario objects.</summary>
    public KubeResources Kube { get; }

    /// <summary>The user name the operator's token authenticates as.</summary>
    public static string OperatorUser => $"system:serviceaccount:{Namespace}:{ServiceAccount}";

    /// <summary>The stored Deployment's first container (args, env) after the apply.</summary>
    public JsonObject Container { get; private set; } = null!;

    public static async Task<Installation> StartAsync()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("kollect-e2e-deploy-").FullName;
        KubeApiServerHost? server = null;
        NatsServerProcess? nats = null;
        KafkaMockCluster? kafka = null;
        try
        {
            server = await KubeApiServerHost.StartAsync(new KubeApiServerOptions { Rbac = true, Https = true, BookmarkInterval = TimeSpan.FromSeconds(1) });
            nats = NatsServerProcess.Start(dir =>
            {
                var config = Path.Combine(dir, "nats.conf");
                File.WriteAllText(config, $"authorization {{ token: \"{NatsToken}\" }}\n");
                return config;
            });
            kafka = new KafkaMockCluster();
            kafka.CreateTopic(KafkaTopic, partitions: 1);
            var installation = new Installation(server, directory, nats, kafka, AdminHttp(server));
            await installation.InstallAsync();
            return installation;
        }
        catch
        {
            kafka?.Dispose();
            nats?.Dispose();
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Runs the real kubectl as the admin; fails the test on a non-zero exit.</summary>
    public async Task<string> KubectlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--kubeconfig", AdminKubeconfig, "--cache-dir", Path.Combine(Directory, "kube-cache"), .. args])
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["HOME"] = Directory;
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"kubectl {string.Join(' ', args)} did not finish within 60 s");
        }
        Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} exited {process.ExitCode}:\n{await output}\n{await error}");
        return await output;
    }

    /// <summary>What the operator's requests were refused, as "verb resource in namespace" lines (for failure messages).</summary>
    public string DeniedSummary() =>
        string.Join('\n', Authorizer.Denied.Where(d => d.User.Name == OperatorUser)
            .Select(d => $"{d.Verb} {d.ApiGroup}/{d.ResourceWithSubresource} ns={d.Namespace} name={d.Name}").Distinct());

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Kafka.Dispose();
        Nats.Dispose();
        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task InstallAsync()
    {
        await File.WriteAllTextAsync(AdminKubeconfig, Server.KubeconfigYaml());
        await KubectlAsync("apply", "-k", Path.Combine(RepositoryRoot, "config", "default"));
        var token = (await KubectlAsync("create", "token", ServiceAccount, "-n", Namespace, "--duration", "1h")).Trim();
        System.IO.Directory.CreateDirectory(ServiceAccountDirectory);
        await File.WriteAllTextAsync(Path.Combine(ServiceAccountDirectory, "token"), token);
        await File.WriteAllTextAsync(Path.Combine(ServiceAccountDirectory, "ca.crt"), Server.CertificateAuthorityPem);
        await File.WriteAllTextAsync(Path.Combine(ServiceAccountDirectory, "namespace"), Namespace);
        if (!OperatingSystem.IsWindows())
        {
            // The operator runs as 65532 inside the image: the mount must be readable by it, as the kubelet's is.
            const UnixFileMode readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            File.SetUnixFileMode(ServiceAccountDirectory, readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            foreach (var file in System.IO.Directory.GetFiles(ServiceAccountDirectory))
            {
                File.SetUnixFileMode(file, readable);
            }
        }
        var deployment = await Kube.GetAsync("Deployment", Namespace, "kollect")
            ?? throw new Xunit.Sdk.XunitException("config/default applied but the Deployment kollect-system/kollect is not stored");
        Container = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray()[0]!.AsObject();
    }

    private static HttpClient AdminHttp(KubeApiServerHost server)
    {
        using var ca = X509Certificate2.CreateFromPem(server.CertificateAuthorityPem);
        var thumbprint = ca.Thumbprint;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KubeApiServerHost.AdminToken);
        return http;
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kollect.Aot.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Kollect.Aot.sln above {AppContext.BaseDirectory}");
    }
}
