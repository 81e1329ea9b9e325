namespace Kollect.Tests.E2e.Cli;

/// <summary>
/// <c>kollect run</c> with a kubeconfig it cannot use exits 2 with one line on standard error that
/// names the file, the context and what to do (SPEC §7), before any host or log line exists.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RunConfigurationErrorTests : IDisposable
{
    private const string Valid = """
        apiVersion: v1
        kind: Config
        current-context: dev
        clusters:
        - name: k
          cluster: {server: "https://127.0.0.1:1"}
        users:
        - name: u
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: EXEC
        contexts:
        - name: dev
          context: {cluster: k, user: u}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("kollect-kube-run-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var result = await KollectBinary.RunAsync(["run", "--health-probe-bind-address", "0", "--metrics-bind-address", "0", .. args]);
        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.Equal("", result.StdOut);
        return lines[0];
    }

    [Fact]
    public async Task Missing_file()
    {
        var path = System.IO.Path.Combine(_dir, "absent");
        Assert.Equal($"kollect run: kubeconfig {path} does not exist (context current): pass --kubeconfig with an existing file or set KUBECONFIG.",
            await RunAsync("--kubeconfig", path));
    }

    [Fact]
    public async Task Malformed_file()
    {
        var path = Write("broken", "clusters: [\n  - {");
        var line = await RunAsync("--kubeconfig", path);
        Assert.StartsWith($"kollect run: kubeconfig {path} is not a valid kubeconfig (line ", line, StringComparison.Ordinal);
        Assert.Contains("fix the file", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_context()
    {
        var path = Write("config", Valid.Replace("EXEC", "true", StringComparison.Ordinal));
        Assert.Equal($"kollect run: kubeconfig {path} has no context 'prod': pass --context with one of [dev].",
            await RunAsync("--kubeconfig", path, "--context", "prod"));
    }

    [Fact]
    public async Task Failing_exec_plugin()
    {
        var plugin = Write("plugin.sh", "#!/bin/sh\necho 'token expired: run sso login' >&2\nexit 1\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Write("config", Valid.Replace("EXEC", plugin, StringComparison.Ordinal));
        var line = await RunAsync("--kubeconfig", path);
        Assert.Equal($"kollect run: kubeconfig {path}, context dev: exec credential plugin '{plugin}' failed: token expired: run sso login; check that it is installed, on PATH and logged in (run it by hand to see).", line);
    }

    [Fact]
    public async Task Absent_exec_plugin()
    {
        var path = Write("config", Valid.Replace("EXEC", "kollect-absent-plugin", StringComparison.Ordinal));
        var line = await RunAsync("--kubeconfig", path, "--context", "dev");
        Assert.StartsWith($"kollect run: kubeconfig {path}, context dev: exec credential plugin 'kollect-absent-plugin' failed: ", line, StringComparison.Ordinal);
    }
}
