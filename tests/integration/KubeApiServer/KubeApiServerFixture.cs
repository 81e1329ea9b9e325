using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Kollect.Testing.KubeApiServer;

namespace Kollect.Tests.Integration.KubeApiServer;

/// <summary>
/// One test API server per test class (in-process, free loopback port), a kubeconfig for it in a
/// temp dir, and helpers to drive it with the real kubectl and with HttpClient.
/// </summary>
public class KubeApiServerFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _crdsApplied = new(1, 1);
    private bool _crdsReady;

    public KubeApiServerHost Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string TempDirectory { get; } = Directory.CreateTempSubdirectory("kollect-kube-apiserver-tests-").FullName;

    public string KubeconfigPath => Path.Combine(TempDirectory, "kubeconfig");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string CrdDirectory => Path.Combine(RepositoryRoot, "crds");

    public static string SampleDirectory => Path.Combine(RepositoryRoot, "tests", "compat", "upstream", "config", "samples");

    /// <summary>How the server runs; a fixture for RBAC tests turns RBAC on.</summary>
    protected virtual KubeApiServerOptions Options => new() { BookmarkInterval = TimeSpan.FromMilliseconds(200) };

    public async Task InitializeAsync()
    {
        Server = await KubeApiServerHost.StartAsync(Options);
        await File.WriteAllTextAsync(KubeconfigPath, Server.KubeconfigYaml());
        Http = NewHttpClient(KubeApiServerHost.AdminToken);
    }

    /// <summary>An HttpClient for this server (trusting its certificate under HTTPS) sending <paramref name="token"/>, or no credentials.</summary>
    public HttpClient NewHttpClient(string? token)
    {
        var handler = new HttpClientHandler();
        if (Server.CertificateAuthorityPem is { } pem)
        {
            using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(pem);
            var thumbprint = ca.Thumbprint;
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint;
        }
        var http = new HttpClient(handler) { BaseAddress = new Uri(Server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        _crdsApplied.Dispose();
        Directory.Delete(TempDirectory, recursive: true);
    }

    /// <summary>Applies the project's CRDs once per server and waits until all are Established.</summary>
    public async Task EnsureProjectCrdsAsync()
    {
        await _crdsApplied.WaitAsync();
        try
        {
            if (_crdsReady)
            {
                return;
            }
            var apply = await KubectlAsync("apply", "-f", CrdDirectory);
            Assert.True(apply.ExitCode == 0, apply.ToString());
            var wait = await KubectlAsync(["wait", "--for=condition=Established", "--timeout=20s", .. ProjectCrdNames().Select(n => $"crd/{n}")]);
            Assert.True(wait.ExitCode == 0, wait.ToString());
            _crdsReady = true;
        }
        finally
        {
            _crdsApplied.Release();
        }
    }

    /// <summary>CRD names from the file names <c>crds/kollect.dev_&lt;plural&gt;.yaml</c>.</summary>
    public static List<string> ProjectCrdNames() =>
        Directory.GetFiles(CrdDirectory, "kollect.dev_*.yaml")
            .Select(f => Path.GetFileNameWithoutExtension(f)["kollect.dev_".Length..] + ".kollect.dev")
            .Order(StringComparer.Ordinal)
            .ToList();

    public Task<KubectlResult> KubectlAsync(params string[] args) => KubectlWithInputAsync(null, args);

    /// <summary>Runs the real kubectl against this server, feeding <paramref name="stdin"/> (for <c>-f -</c>).</summary>
    public async Task<KubectlResult> KubectlWithInputAsync(string? stdin, params string[] args)
    {
        using var process = Process.Start(KubectlStartInfo(args, redirectInput: stdin is not null))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"kubectl {string.Join(' ', args)} did not finish within 40 s");
        }
        return new KubectlResult(process.ExitCode, await output, await error);
    }

    public async Task<string> KubectlOkAsync(params string[] args)
    {
        var result = await KubectlAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {result}");
        return result.StandardOutput;
    }

    public BackgroundKubectl StartKubectl(params string[] args) =>
        new(Process.Start(KubectlStartInfo(args, redirectInput: false))!);

    public async Task<JsonObject> KubectlJsonAsync(params string[] args) =>
        (JsonObject)JsonNode.Parse(await KubectlOkAsync([.. args, "-o", "json"]))!;

    public async Task<HttpResponseMessage> SendJsonAsync(HttpMethod method, string path, JsonNode? body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        return await Http.SendAsync(request);
    }

    public async Task<(int Status, JsonObject Body)> JsonAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var response = await SendJsonAsync(method, path, body, contentType);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, (JsonObject)JsonNode.Parse(text)!);
    }

    /// <summary>Creates a namespace with a unique name so tests in one class do not see each other's objects.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix)
    {
        var (status, body) = await JsonAsync(HttpMethod.Post, "/api/v1/namespaces",
            new JsonObject { ["metadata"] = new JsonObject { ["generateName"] = prefix + "-" } });
        Assert.True(status == 201, body.ToJsonString());
        return (string)body["metadata"]!["name"]!;
    }

    private ProcessStartInfo KubectlStartInfo(string[] args, bool redirectInput)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(KubeconfigPath);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(Path.Combine(TempDirectory, "kube-cache"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["HOME"] = TempDirectory;
        info.Environment.Remove("KUBECONFIG");
        return info;
    }

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
