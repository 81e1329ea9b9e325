using k8s.Models;
using Kollect.Operator.Kube;

namespace Kollect.Tests.Integration.Kube;

/// <summary>
/// The credential paths of KubernetesClient.Aot as our client uses them: exec plugins (v1 and
/// v1beta1, relative command, no second run, a fresh run after a 401, failing and absent plugins
/// as one-line errors) against a token-checking server, and the in-cluster service account
/// against the HTTPS test API server inside a private mount namespace.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kollect-kube-credentials-").FullName;
    private readonly BearerTokenServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Kubeconfig(string apiVersion, string command) =>
        WriteKubeconfig($"""
            current-context: c
            clusters:
            - name: k
              cluster: {"{"}server: "{_server.BaseUrl}"{"}"}
            users:
            - name: u
              user:
                exec:
                  apiVersion: {apiVersion}
                  command: {command}
                  installHint: install the test plugin
                  env:
                  - name: TOKEN_PREFIX
                    value: exec
            contexts:
            - name: c
              context: {"{"}cluster: k, user: u{"}"}
            """);

    private string WriteKubeconfig(string yaml)
    {
        var path = Path.Combine(_dir, "config");
        File.WriteAllText(path, yaml);
        return path;
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, body.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Theory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public async Task Exec_plugin_runs_once_for_loading_and_again_only_after_a_401(string apiVersion)
    {
        var counter = Path.Combine(_dir, "runs");
        Script("plugin.sh", $$$"""
            #!/bin/sh
            n=$(cat "{{{counter}}}" 2>/dev/null || echo 0)
            n=$((n+1))
            echo $n > "{{{counter}}}"
            case "$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) echo "no exec info" >&2; exit 3;; esac
            printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s-%s"}}' "{{{apiVersion}}}" "$TOKEN_PREFIX" "$n"
            """);
        int Runs() => int.Parse(File.ReadAllText(counter).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        // A relative command is relative to the kubeconfig, as with kubectl, not to the working directory.
        var config = KubeConfigLoader.FromKubeconfigFiles([Kubeconfig(apiVersion, "./plugin.sh")], null);
        Assert.Equal(1, Runs());
        using var client = new KubeClient(config);

        _server.ExpectedToken = "exec-1";
        await client.GetRawAsync("/api/v1", default);
        await client.GetRawAsync("/api/v1", default);
        Assert.Equal(1, Runs());

        _server.ExpectedToken = "exec-2";
        await client.GetRawAsync("/api/v1", default);
        Assert.Equal(2, Runs());
        Assert.Equal(["exec-1", "exec-1", "exec-1", "exec-2"], _server.Seen);
    }

    [Fact]
    public void Failing_exec_plugin_is_one_line_naming_file_context_command_and_its_stderr()
    {
        var script = Script("broken.sh", "#!/bin/sh\necho 'please log in first' >&2\nexit 7\n");
        var path = Kubeconfig("client.authentication.k8s.io/v1", script);
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.FromKubeconfigFiles([path], null));
        Assert.Equal($"kubeconfig {path}, context c: exec credential plugin '{script}' failed: please log in first; install the test plugin.", error.Message);
    }

    [Fact]
    public void Absent_exec_plugin_is_one_line_naming_file_context_and_command()
    {
        var path = Kubeconfig("client.authentication.k8s.io/v1", "kollect-no-such-plugin");
        var error = Assert.Throws<KubeConfigException>(() => KubeConfigLoader.FromKubeconfigFiles([path], null));
        Assert.StartsWith($"kubeconfig {path}, context c: exec credential plugin 'kollect-no-such-plugin' failed: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; install the test plugin.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task In_cluster_operator_talks_https_to_the_api_server_with_the_service_account()
    {
        if (Environment.UserName != "root")
        {
            Assert.Fail("the in-cluster test needs root for unshare --mount (CI and these machines run as root)");
        }
        await using var server = await Kollect.Testing.KubeApiServer.KubeApiServerHost.StartAsync(new Kollect.Testing.KubeApiServer.KubeApiServerOptions { Https = true });
        var account = Directory.CreateDirectory(Path.Combine(_dir, "serviceaccount")).FullName;
        File.WriteAllText(Path.Combine(account, "token"), "sa-token");
        File.WriteAllText(Path.Combine(account, "ca.crt"), server.CertificateAuthorityPem);
        File.WriteAllText(Path.Combine(account, "namespace"), "kollect-system\n");
        var endpoint = new Uri(server.BaseUrl);
        using var process = OperatorProcess.InCluster(account, new Dictionary<string, string>
        {
            ["KUBERNETES_SERVICE_HOST"] = endpoint.Host,
            ["KUBERNETES_SERVICE_PORT"] = endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, "--leader-elect", "--leader-election-namespace", "default", "--health-probe-bind-address", "0", "--metrics-bind-address", "0");
        var kubeconfig = WriteKubeconfig(server.KubeconfigYaml());
        using var client = new KubeClient(KubeConfigLoader.FromKubeconfigFiles([kubeconfig], null));
        V1Lease? lease = null;
        await Eventually.UntilAsync(async () =>
        {
            Assert.False(process.HasExited, process.Output);
            lease = await client.TryGetAsync(KubeResource.Leases, "default", "kollect-operator", KubeJsonContext.Default.V1Lease, default);
            return lease?.Spec?.HolderIdentity is { Length: > 0 };
        }, "the in-cluster operator to take the lease", timeout: TimeSpan.FromSeconds(60));
        Assert.Contains("in-cluster service account", process.Output, StringComparison.Ordinal);
        process.Signal("TERM");
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, process.ExitCode);
    }
}
