using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Kollect.Tests.E2e.Local;
using Kollect.Tests.E2e.Operator;
using Xunit.Abstractions;

namespace Kollect.Tests.E2e.Faults;

/// <summary>
/// Base of the fault suite (issue #13): the scenarios of tests/e2e/Operator with something taken
/// away — a broker, the API server, the operator itself. Local mode only (the faults need the
/// processes at hand). Every verdict is read from the brokers with independent clients (kcat,
/// the JetStream API) through <see cref="OperatorScenario"/>; each scenario reports its messages,
/// duplicates and recovery time to the test output and to the file <see cref="ReportPath"/>,
/// where docs/reliability.md takes its figures from. <c>KOLLECT_FAULTS=full</c> runs the longer
/// variants (30 s outages).
/// </summary>
public abstract class FaultScenario(ITestOutputHelper output) : OperatorScenario
{
    /// <summary>True with <c>KOLLECT_FAULTS=full</c>: longer outages.</summary>
    protected static bool Full => Environment.GetEnvironmentVariable("KOLLECT_FAULTS") == "full";

    /// <summary>Where each scenario appends its line (tab-separated); <c>KOLLECT_FAULTS_REPORT</c> overrides.</summary>
    public static string ReportPath =>
        Environment.GetEnvironmentVariable("KOLLECT_FAULTS_REPORT") is { Length: > 0 } path ? path : Path.Combine(Path.GetTempPath(), "kollect-faults-report.tsv");

    protected LocalEnvironment Local => (LocalEnvironment)Env;

    /// <summary>Leader election on, with the Lease in a namespace the test API server always has.</summary>
    protected static readonly string[] LeaderElect = ["--leader-elect", "--leader-election-namespace", "default"];

    /// <summary>Re-sends of unchanged content: messages whose checksum equals the one before on the same broker.</summary>
    protected static int Duplicates(IReadOnlyList<VerifiedEnvelope> messages) =>
        messages.Zip(messages.Skip(1)).Count(pair => pair.First.Checksum == pair.Second.Checksum && pair.First.PartIndex == pair.Second.PartIndex);

    /// <summary>
    /// Waits until the newest message on <paramref name="broker"/> holds <paramref name="configMap"/>
    /// with <c>value</c>, reading only that broker (the other may be down); returns the time since <paramref name="since"/>.
    /// </summary>
    protected async Task<TimeSpan> UntilValueAsync(Team team, Broker broker, string configMap, string value, Stopwatch since, TimeSpan? timeout = null)
    {
        var shown = value.Length <= 60 ? value : $"{value[..40]}… ({value.Length} chars)";
        string last = "(nothing read yet)";
        await Eventually.WaitAsync(
            $"{broker}'s newest message to hold {team.Namespace}/{configMap} = '{shown}'",
            async () =>
            {
                var messages = broker == Broker.Kafka
                    ? (await Env.ReadKafkaAsync()).Where(m => m.Header("kollect-inventory") == team.InventoryHeader)
                    : Env.ReadNats(team.NatsStream);
                var verified = EnvelopeVerifier.VerifyAll(messages, team.InventoryHeader);
                last = $"{verified.Count} message(s); newest {verified.LastOrDefault()}";
                return verified.LastOrDefault() is { } newest && HasValue(newest, team, configMap, value) ? newest : null;
            },
            () => Env.DiagnosticsAsync(team.WatchedObjects),
            () => last,
            timeout ?? TimeSpan.FromSeconds(120));
        return since.Elapsed;
    }

    protected static bool HasValue(VerifiedEnvelope envelope, Team team, string configMap, string value) =>
        envelope.Items.Any(i => (string?)i["namespace"] == team.Namespace && (string?)i["name"] == configMap && (string?)i["attributes"]?["value"] == value);

    /// <summary>Asserts at most <paramref name="allowed"/> duplicates per broker and reports the scenario.</summary>
    protected void Report(string scenario, Published published, int allowed, params (string Name, TimeSpan Time)[] times)
    {
        var kafkaDuplicates = Duplicates(published.Kafka);
        var natsDuplicates = Duplicates(published.Nats);
        var timing = string.Join(", ", times.Select(t => $"{t.Name} {t.Time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"));
        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\t{scenario}\t{(Full ? "full" : "default")}\tkafka {published.Kafka.Count} msg, {kafkaDuplicates} dup\t" +
            $"nats {published.Nats.Count} msg, {natsDuplicates} dup\t{timing}\tload {File.ReadAllText("/proc/loadavg").Split(' ')[0]}";
        output.WriteLine(line);
        File.AppendAllText(ReportPath, line + "\n");
        Assert.True(kafkaDuplicates <= allowed && natsDuplicates <= allowed,
            $"{scenario}: more than {allowed} duplicate(s) per sink (Kafka {kafkaDuplicates}, NATS {natsDuplicates}):\n{published}");
    }

    /// <summary>The holder of the operator's Lease in <c>default</c>, or null.</summary>
    protected async Task<string?> LeaseHolderAsync()
    {
        using var response = await Local.Http.GetAsync("/apis/coordination.k8s.io/v1/namespaces/default/leases/kollect-operator");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var lease = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return (string?)lease?["spec"]?["holderIdentity"] is { Length: > 0 } holder ? holder : null;
    }

    /// <summary>Waits until an operator's log has <paramref name="times"/> lines starting with <paramref name="message"/>.</summary>
    protected Task WaitForLogAsync(OperatorProcess process, string message, Team team, int times = 1, TimeSpan? timeout = null) =>
        Eventually.WaitAsync($"the operator to log '{message}' {times} time(s)",
            () => Task.FromResult(LogCount(process, message) >= times ? (object)true : null),
            () => Env.DiagnosticsAsync(team.WatchedObjects), timeout: timeout ?? TimeSpan.FromSeconds(60));

    protected static int LogCount(OperatorProcess process, string message) =>
        process.Logs.Count(l => l.TryGetProperty("Message", out var m) && m.GetString()?.StartsWith(message, StringComparison.Ordinal) == true);
}
