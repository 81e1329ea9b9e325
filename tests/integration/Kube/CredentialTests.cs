using System.Net;
using Kollect.Operator.Kube;

namespace Kollect.Tests.Integration.Kube;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kollect-credentials-").FullName;
    private readonly BearerTokenServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task In_cluster_token_rotation_is_picked_up_after_a_401()
    {
        File.WriteAllText(Path.Combine(_dir, "token"), "token-one");
        File.WriteAllText(Path.Combine(_dir, "namespace"), "kollect-system");
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        var inCluster = KubeConfigLoader.InCluster(n => env.GetValueOrDefault(n), _dir, TimeSpan.FromHours(1));
        Assert.Equal(new Uri("https://127.0.0.1:443"), inCluster.Server);
        // Same credentials, plain HTTP to the local token-checking server.
        using var client = new KubeClient(inCluster with { Server = new Uri(_server.BaseUrl) });

        _server.ExpectedToken = "token-one";
        await client.GetRawAsync("/api/v1", default);

        File.WriteAllText(Path.Combine(_dir, "token"), "token-two");
        _server.ExpectedToken = "token-two";
        await client.GetRawAsync("/api/v1", default);
        Assert.Equal(["token-one", "token-one", "token-two"], _server.Seen);

        _server.ExpectedToken = "token-three";
        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.GetRawAsync("/api/v1", default));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Theory]
    [InlineData("client.authentication.k8s.io/v1")]
    [InlineData("client.authentication.k8s.io/v1beta1")]
    public async Task Exec_plugin_token_is_cached_until_a_401_then_fetched_again(string apiVersion)
    {
        var script = Path.Combine(_dir, "plugin.sh");
        var counter = Path.Combine(_dir, "runs");
        File.WriteAllText(script, $$$"""
            #!/bin/sh
            n=$(cat "{{{counter}}}" 2>/dev/null || echo 0)
            n=$((n+1))
            echo $n > "{{{counter}}}"
            case "$KUBERNETES_EXEC_INFO" in *ExecCredential*) ;; *) echo "no exec info" >&2; exit 3;; esac
            printf '{"apiVersion":"%s","kind":"ExecCredential","status":{"token":"%s-%s"}}' "{{{apiVersion}}}" "$TOKEN_PREFIX" "$n"
            """.Replace("\r", "", StringComparison.Ordinal));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var kubeconfig = Path.Combine(_dir, "config");
        File.WriteAllText(kubeconfig, $"""
            current-context: c
            clusters:
            - name: k
              cluster: {"{"}server: "{_server.BaseUrl}"{"}"}
            users:
            - name: u
              user:
                exec:
                  apiVersion: {apiVersion}
                  command: ./plugin.sh
                  env:
                  - name: TOKEN_PREFIX
                    value: exec
            contexts:
            - name: c
              context: {"{"}cluster: k, user: u{"}"}
            """);
        var config = KubeConfigLoader.FromKubeconfigFiles([kubeconfig], null);
        var source = Assert.IsType<ExecCredentialSource>(config.Credentials);
        using var client = new KubeClient(config);

        _server.ExpectedToken = "exec-1";
        await client.GetRawAsync("/api/v1", default);
        await client.GetRawAsync("/api/v1", default);
        Assert.Equal(1, source.Runs);

        _server.ExpectedToken = "exec-2";
        await client.GetRawAsync("/api/v1", default);
        Assert.Equal(2, source.Runs);
        Assert.Equal(["exec-1", "exec-1", "exec-1", "exec-2"], _server.Seen);
    }

    [Fact]
    public async Task Failing_exec_plugin_reports_its_exit_code_and_stderr()
    {
        var script = Path.Combine(_dir, "broken.sh");
        File.WriteAllText(script, "#!/bin/sh\necho 'please log in first' >&2\nexit 7\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var source = new ExecCredentialSource(new ExecCredentialPlugin("client.authentication.k8s.io/v1", script, [], [], null));
        var error = await Assert.ThrowsAsync<KubeConfigException>(async () => await source.GetTokenAsync(false, default));
        Assert.Contains("exited with code 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("please log in first", error.Message, StringComparison.Ordinal);
    }
}
