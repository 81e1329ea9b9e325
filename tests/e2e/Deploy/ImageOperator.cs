using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Deploy;

/// <summary>
/// Runs the operator as the shipped Deployment would: from the image (<c>KOLLECT_IMAGE</c>, built
/// by scripts/image.sh) with <c>buildah run --isolation chroot --user 65532:65532</c>, the image's
/// entrypoint, the Deployment's args and env (downward API values filled in), the
/// ServiceAccount token mounted where the kubelet mounts it and <c>KUBERNETES_SERVICE_HOST/PORT</c>
/// set, so the operator takes its in-cluster configuration. Only where buildah is absent does it
/// run the published binary instead, with a kubeconfig holding the same token; <see cref="Mode"/>
/// says which.
/// </summary>
public sealed partial class ImageOperator : IDisposable
{
    private const string ServiceAccountMount = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static readonly string[] Buildah = ["buildah", "--storage-driver", "vfs"];
    private readonly Installation _installation;
    private readonly string? _container;
    private readonly string[] _entrypoint;

    private ImageOperator(Installation installation, string? container, string[] entrypoint, string mode)
    {
        _installation = installation;
        _container = container;
        _entrypoint = entrypoint;
        Mode = mode;
    }

    /// <summary>How the operator runs: from which image, or from the binary and why.</summary>
    public string Mode { get; }

    /// <summary>
    /// A buildah working container of <c>KOLLECT_IMAGE</c> (or of an image scripts/image.sh builds
    /// now from <c>KOLLECT_BIN</c>'s directory when it is unset); the binary only without buildah.
    /// </summary>
    public static async Task<ImageOperator> CreateAsync(Installation installation)
    {
        if (!await BuildahAvailableAsync())
        {
            return new ImageOperator(installation, null, [KollectBinary.Path, "run"],
                $"the published binary {KollectBinary.Path} (buildah is not installed, so the image cannot run here; scripts/bootstrap.sh installs it)");
        }
        var image = Environment.GetEnvironmentVariable("KOLLECT_IMAGE");
        if (string.IsNullOrEmpty(image))
        {
            image = await BuildImageAsync();
        }
        var config = JsonNode.Parse(await RunAsync([.. Buildah, "inspect", "--type", "image", image]))!["OCIv1"]?["config"];
        var entrypoint = config?["Entrypoint"]?.AsArray().Select(e => (string)e!).ToArray() ?? [];
        Assert.True(entrypoint.Length > 0, $"image {image} has no entrypoint");
        Assert.True((string?)config?["User"] == "65532:65532", $"image {image} runs as '{config?["User"]}', not 65532:65532");
        var container = (await RunAsync([.. Buildah, "from", "--quiet", "--pull-never", "--name", $"kollect-e2e-{Guid.NewGuid():N}", image])).Trim();
        return new ImageOperator(installation, container, entrypoint,
            $"image {image} (buildah run --isolation chroot --user 65532:65532, entrypoint {string.Join(' ', entrypoint)}, in-cluster ServiceAccount config)");
    }

    /// <summary>
    /// Starts the operator with the Deployment's args (bind addresses moved to free ports) and
    /// <c>--allow-loopback-sinks</c>, the one flag added: the brokers here listen on 127.0.0.1.
    /// </summary>
    public OperatorProcess Start()
    {
        var env = DeploymentEnvironment();
        var args = DeploymentArgs(env).Append("--allow-loopback-sinks").ToList();
        if (_container is null)
        {
            var kubeconfig = Path.Combine(_installation.Directory, "operator-kubeconfig");
            File.WriteAllText(kubeconfig, _installation.Server.KubeconfigYaml(File.ReadAllText(Path.Combine(_installation.ServiceAccountDirectory, "token"))));
            var binary = KollectBinary.StartInfo([.. _entrypoint[1..], "--kubeconfig", kubeconfig, .. args]);
            foreach (var (key, value) in env)
            {
                binary.Environment[key] = value;
            }
            return new OperatorProcess(binary);
        }
        var port = new Uri(_installation.Server.BaseUrl).Port.ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        List<string> command =
        [
            .. Buildah, "run", "--isolation", "chroot", "--user", "65532:65532",
            "--volume", $"{_installation.ServiceAccountDirectory}:{ServiceAccountMount}:ro",
            "--env", "KUBERNETES_SERVICE_HOST=127.0.0.1", "--env", $"KUBERNETES_SERVICE_PORT={port}",
        ];
        foreach (var (key, value) in env)
        {
            command.AddRange(["--env", $"{key}={value}"]);
        }
        command.AddRange([_container, "--", .. _entrypoint, .. args]);
        foreach (var arg in command)
        {
            start.ArgumentList.Add(arg);
        }
        return new OperatorProcess(start, processGroup: true);
    }

    public void Dispose()
    {
        if (_container is not null)
        {
            using var remove = Process.Start(new ProcessStartInfo(Buildah[0], [.. Buildah[1..], "rm", _container]) { RedirectStandardOutput = true, RedirectStandardError = true });
            remove?.WaitForExit(30_000);
        }
    }

    /// <summary>The container's env as the kubelet would set it: values, and the downward API fields the Deployment uses.</summary>
    private Dictionary<string, string> DeploymentEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in _installation.Container["env"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var name = (string)entry["name"]!;
            var field = (string?)entry["valueFrom"]?["fieldRef"]?["fieldPath"];
            env[name] = entry["value"] is { } value ? (string)value! : field switch
            {
                "metadata.name" => "kollect-5d8f9c7b6-e2e01",
                "metadata.namespace" => Installation.Namespace,
                _ => throw new Xunit.Sdk.XunitException($"the Deployment's env {name} comes from {entry["valueFrom"]?.ToJsonString()}, which this e2e does not know how to fill"),
            };
        }
        return env;
    }

    /// <summary>The Deployment's args with <c>$(VAR)</c> expanded as the kubelet does, listening on free loopback ports.</summary>
    private IEnumerable<string> DeploymentArgs(Dictionary<string, string> env)
    {
        foreach (var node in _installation.Container["args"]?.AsArray() ?? [])
        {
            var arg = EnvReference().Replace((string)node!, m => env.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
            yield return arg.StartsWith("--metrics-bind-address=", StringComparison.Ordinal) ? "--metrics-bind-address=127.0.0.1:0"
                : arg.StartsWith("--health-probe-bind-address=", StringComparison.Ordinal) ? "--health-probe-bind-address=127.0.0.1:0"
                : arg;
        }
    }

    private static async Task<string> BuildImageAsync()
    {
        var script = Path.Combine(Installation.RepositoryRoot, "scripts", "image.sh");
        var start = new ProcessStartInfo(script) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["KOLLECT_PUBLISH_DIR"] = Path.GetDirectoryName(KollectBinary.Path)!;
        start.Environment["KOLLECT_IMAGE_BUILDER"] = "buildah";
        var output = await RunAsync(start, TimeSpan.FromMinutes(5));
        return output.TrimEnd().Split('\n')[^1];
    }

    private static async Task<bool> BuildahAvailableAsync()
    {
        try
        {
            await RunAsync(["buildah", "--version"]);
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static Task<string> RunAsync(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command[1..])
        {
            start.ArgumentList.Add(arg);
        }
        return RunAsync(start, TimeSpan.FromSeconds(60));
    }

    private static async Task<string> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}");
        }
        Assert.True(process.ExitCode == 0, new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{start.FileName} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}:\n")
            .Append(await output).Append('\n').Append(await error).ToString());
        return await output;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex EnvReference();
}
