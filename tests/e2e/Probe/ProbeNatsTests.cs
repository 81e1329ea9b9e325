
namespace Kollect.Tests.E2e.Probe;

/// <summary>
/// <c>kollect probe</c> of NATS sinks, AOT binary against a real nats-server (SPEC §6.3, §8).
/// Exit 0 verified, 1 probe failed (a missing Secret too: the operator reports it as
/// <c>ConnectionVerified=False</c>, reason <c>SecretResolveFailed</c>), 2 invalid sink (a loopback
/// endpoint without <c>--allow-loopback-sinks</c> is refused already by validation, SPEC §6.5).
/// </summary>
public sealed class ProbeNatsTests : IDisposable
{
    private const string Prefix = "KollectEventSink team-a/orders (nats): ";
    private readonly ProbeWorkspace _workspace = new();
    private NatsServerProcess? _server;

    private NatsServerProcess StartWithUser() => _server = NatsServerProcess.Start(dir =>
    {
        var path = Path.Combine(dir, "nats.conf");
        File.WriteAllText(path, $"authorization {{ user: \"kollect\", password: \"{ProbeWorkspace.Canary}\", timeout: 10 }}\n");
        return path;
    });

    private void WriteSink(string url, string secret = "nats-creds", string extra = "") =>
        _workspace.WriteSink($"  type: nats\n  nats:\n    url: {url}\n    subject: kollect.events\n    secretRef:\n      name: {secret}\n{extra}");

    [Fact]
    public async Task Right_user_and_password_is_verified()
    {
        var server = StartWithUser();
        _workspace.AddSecret("nats-creds", $"username: kollect\n    password: {ProbeWorkspace.Canary}");
        WriteSink(server.Url);

        var result = await _workspace.ProbeAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Prefix + "verified in ", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("kollect_events", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_fails()
    {
        var server = StartWithUser();
        _workspace.AddSecret("nats-creds", $"username: kollect\n    password: wrong-{ProbeWorkspace.Canary}");
        WriteSink(server.Url);

        var result = await _workspace.ProbeAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(Prefix + "failed (ConnectionTestFailed)", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("AuthenticationFailed", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_secret_fails_with_SecretResolveFailed()
    {
        var server = StartWithUser();
        WriteSink(server.Url, secret: "absent");

        var result = await _workspace.ProbeAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(Prefix + "failed (SecretResolveFailed): KollectEventSink team-a/orders: spec.nats.secretRef: Secret team-a/absent not found", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_stream_in_existing_mode_fails()
    {
        var server = StartWithUser();
        _workspace.AddSecret("nats-creds", $"username: kollect\n    password: {ProbeWorkspace.Canary}");
        WriteSink(server.Url, extra: "  provisioning:\n    mode: existing");

        var result = await _workspace.ProbeAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("StreamNotFound", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subject_owned_by_another_stream_fails_naming_it()
    {
        _server = NatsServerProcess.Start();
        using (var raw = RawNatsClient.Connect(_server.Port))
        {
            raw.CreateStream("ORDERS", "kollect.*");
        }

        _workspace.WriteSink($"  type: nats\n  nats:\n    url: {_server.Url}\n    subject: kollect.events");

        var result = await _workspace.ProbeAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("SubjectOwnedByOtherStream", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("ORDERS", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_port_fails()
    {
        using var closed = NatsServerProcess.Start();
        var url = closed.Url;
        closed.Kill();
        _workspace.AddSecret("nats-creds", $"username: kollect\n    password: {ProbeWorkspace.Canary}");
        WriteSink(url);

        var result = await _workspace.ProbeAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(Prefix + "failed (ConnectionTestFailed)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_without_the_flag_is_refused()
    {
        var server = StartWithUser();
        _workspace.AddSecret("nats-creds", $"username: kollect\n    password: {ProbeWorkspace.Canary}");
        WriteSink(server.Url);

        var result = await _workspace.ProbeAsync();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--allow-loopback-sinks", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, await server.ConnectionCountAsync());
    }

    public void Dispose()
    {
        _server?.Dispose();
        _workspace.Dispose();
    }
}
