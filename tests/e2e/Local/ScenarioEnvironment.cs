using System.Text;
using System.Text.Json.Nodes;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// Where the operator scenarios (tests/e2e/Operator) run, chosen by <c>KOLLECT_E2E_MODE</c>: local
/// mode (default; <see cref="LocalEnvironment"/>: the test API server, nats-server, the Kafka mock
/// and the published binary on this machine) or <c>kind</c> (<see cref="Kind.KindEnvironment"/>: a
/// kind cluster with the image deployed from config/default, NATS and Kafka in the cluster, set up
/// by scripts/e2e-kind.sh). The scenarios see only this class, so both modes run the same code.
/// </summary>
public abstract class ScenarioEnvironment : IAsyncDisposable
{
    /// <summary>The <c>--cluster-name</c> the operator runs with; every envelope carries it.</summary>
    public const string ClusterName = "e2e-cluster";

    public const string KafkaTopic = "kollect-inventory";

    public static bool IsKind => Environment.GetEnvironmentVariable("KOLLECT_E2E_MODE") == "kind";

    /// <summary>A fresh environment; <paramref name="natsMaxPayload"/> (local mode only) sets nats-server's max_payload.</summary>
    public static async Task<ScenarioEnvironment> CreateAsync(int? natsMaxPayload = null) =>
        IsKind ? await Kind.KindEnvironment.StartAsync() : await LocalEnvironment.StartAsync(natsMaxPayload);

    /// <summary>Admin access to the API server over HTTP.</summary>
    public abstract KubeResources Kube { get; }

    /// <summary>The Kafka bootstrap address as the operator reaches it (what sinks name).</summary>
    public abstract string KafkaBootstrap { get; }

    /// <summary>The NATS URL as the operator reaches it (what sinks name).</summary>
    public abstract string NatsUrl { get; }

    /// <summary>Starts the operator (a second call is a restart after <see cref="IScenarioOperator.StopAsync"/>).</summary>
    public abstract IScenarioOperator StartOperator();

    public abstract Task<IReadOnlyList<PublishedMessage>> ReadKafkaAsync();

    public abstract IReadOnlyList<PublishedMessage> ReadNats(string stream);

    /// <summary>Takes the NATS server away (an outage the operator must ride out).</summary>
    public abstract Task StopNatsAsync();

    /// <summary>Brings NATS back with its store.</summary>
    public abstract Task StartNatsAsync();

    /// <summary>
    /// What a failing scenario needs to see: the objects' stored state (status included) and the
    /// operator's log (all runs, newest last).
    /// </summary>
    public async Task<string> DiagnosticsAsync(params (string Kind, string? Namespace, string Name)[] objects)
    {
        var text = new StringBuilder();
        foreach (var (kind, ns, name) in objects)
        {
            try
            {
                var current = await Kube.GetAsync(kind, ns, name);
                var shown = current is null ? "(absent)" : new JsonObject
                {
                    ["generation"] = current["metadata"]?["generation"]?.DeepClone(),
                    ["spec"] = current["spec"]?.DeepClone(),
                    ["status"] = current["status"]?.DeepClone(),
                }.ToJsonString();
                text.Append($"--- {kind} {(ns is null ? name : $"{ns}/{name}")}: {shown}\n");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                text.Append($"--- {kind} {name}: could not read ({e.Message})\n");
            }
        }
        foreach (var started in Operators)
        {
            text.Append(started.Excerpt()).Append('\n');
        }
        return text.ToString();
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>Every operator started in this environment, oldest first.</summary>
    protected abstract IEnumerable<IScenarioOperator> Operators { get; }
}
