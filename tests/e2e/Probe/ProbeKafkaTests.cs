
namespace Kollect.Tests.E2e.Probe;

/// <summary>
/// <c>kollect probe</c> of Kafka sinks, AOT binary against librdkafka's mock cluster running in
/// the test process (SPEC §6.3, §8). The mock creates any topic it is asked about, so a missing
/// topic is simulated with the UNKNOWN_TOPIC_OR_PART error a broker without auto-creation returns.
/// </summary>
public sealed class ProbeKafkaTests : IDisposable
{
    private const string Prefix = "KollectEventSink team-a/orders (kafka): ";
    private readonly ProbeWorkspace _workspace = new();
    private readonly KafkaMockCluster _cluster = new();

    private void WriteSink(string endpoint, string topic = "inventory", string extra = "") =>
        _workspace.WriteSink($"  type: kafka\n  endpoint: \"{endpoint}\"\n  kafka:\n    topic: {topic}\n{extra}");

    [Fact]
    public async Task Existing_topic_is_verified()
    {
        _cluster.CreateTopic("inventory", partitions: 3);
        WriteSink(_cluster.Bootstrap);

        var result = await _workspace.ProbeAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(Prefix + "verified in ", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("topic inventory has 3 partitions with leaders", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_topic_fails()
    {
        _cluster.SetTopicError("absent", 3);
        WriteSink(_cluster.Bootstrap, topic: "absent");

        var result = await _workspace.ProbeAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(Prefix + "failed (ConnectionTestFailed)", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("UnknownTopic", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_port_fails_with_credentials_kept_secret()
    {
        var port = _cluster.Brokers[0].Split(':')[1];
        _cluster.Dispose();
        _workspace.AddSecret("kafka-creds", $"username: svc\n    password: {ProbeWorkspace.Canary}\n    mechanism: PLAIN");
        WriteSink($"127.0.0.1:{port}", extra: "  secretRef:\n    name: kafka-creds");

        var result = await _workspace.ProbeAsync("--allow-loopback-sinks");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(Prefix + "failed (ConnectionTestFailed)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_without_the_flag_is_refused()
    {
        _cluster.CreateTopic("inventory", partitions: 1);
        WriteSink(_cluster.Bootstrap);

        var result = await _workspace.ProbeAsync();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--allow-loopback-sinks", result.StdErr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _cluster.Dispose();
        _workspace.Dispose();
    }
}
