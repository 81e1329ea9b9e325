using System.Text.Json.Nodes;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>
/// Scenario (6) of issue #6 §5: a cluster inventory and a cluster target over labelled
/// namespaces, publishing to sinks in <c>kollect-system</c> with envelope namespace <c>cluster</c> (SPEC §2.3, §5).
/// </summary>
public sealed class ClusterInventoryTests : OperatorScenario
{
    private const string SinkNamespace = "kollect-system";
    private const string TeamLabel = "e2e.kollect.dev/fleet";
    private const string Inventory = "fleet";
    private const string ClusterTarget = "cm-cluster-target";
    private const string NatsStream = "kollect_cluster";

    [Fact]
    public async Task Rows_of_the_selected_namespaces_are_published_with_namespace_cluster()
    {
        // On a kind cluster kollect-system exists already: the operator is installed there.
        if (await Env.Kube.GetAsync("Namespace", null, SinkNamespace) is null)
        {
            await Env.Kube.CreateAsync(Manifests.Namespace(SinkNamespace));
        }
        await Env.Kube.CreateAllAsync(
            Manifests.ConfigMapProfile(SinkNamespace, Team.Profile),
            Manifests.KafkaSink(SinkNamespace, Team.KafkaSink, Env.KafkaBootstrap, ScenarioEnvironment.KafkaTopic),
            Manifests.NatsSink(SinkNamespace, Team.NatsSink, Env.NatsUrl, "kollect.e2e.cluster", NatsStream));
        var selected = new Dictionary<string, string> { [TeamLabel] = "yes" };
        var rows = new Dictionary<string, string[]> { ["fleet-a"] = ["alpha", "beta"], ["fleet-b"] = ["gamma"] };
        foreach (var (ns, names) in rows)
        {
            await Env.Kube.CreateAsync(Manifests.Namespace(ns, selected));
            await CreateConfigMapsAsync(ns, names.ToDictionary(n => n, n => $"value of {n}"));
        }
        // A namespace the selectors leave out: its ConfigMap must not be exported.
        await Env.Kube.CreateAsync(Manifests.Namespace("fleet-other"));
        await CreateConfigMapsAsync("fleet-other", new Dictionary<string, string> { ["outsider"] = "no" });
        await Env.Kube.CreateAllAsync(
            Manifests.ClusterTarget(ClusterTarget, SinkNamespace, Team.Profile, TeamLabel, "yes"),
            Manifests.ClusterInventory(Inventory, TeamLabel, "yes", "0s", JsonValue.Create(Team.KafkaSink)!, Manifests.Ref(Team.NatsSink, ns: SinkNamespace)));
        Env.StartOperator();

        (string, string?, string)[] watched =
        [
            ("KollectClusterInventory", null, Inventory), ("KollectClusterTarget", null, ClusterTarget),
            ("KollectEventSink", SinkNamespace, Team.KafkaSink), ("KollectEventSink", SinkNamespace, Team.NatsSink),
        ];
        var published = await WaitForAsync(Inventory, NatsStream, "the three rows of fleet-a and fleet-b on each broker",
            p => p.Kafka.Any(e => e.ItemCount == 3) && p.Nats.Any(e => e.ItemCount == 3), () => Env.DiagnosticsAsync(watched));

        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            var envelope = published.On(broker).Last(e => e.ItemCount == 3);
            Assert.Equal("cluster", envelope.Namespace);
            Assert.Equal(ScenarioEnvironment.ClusterName, envelope.Cluster);
            Assert.Equal(["fleet-a/alpha", "fleet-a/beta", "fleet-b/gamma"], envelope.ItemNames.Order(StringComparer.Ordinal));
            foreach (var item in envelope.Items)
            {
                Assert.True((string?)item["targetName"] == ClusterTarget && (string?)item["kind"] == "ConfigMap",
                    $"{envelope}: item {item.ToJsonString()} should come from cluster target {ClusterTarget}");
                Assert.Equal($"value of {(string?)item["name"]}", (string?)item["attributes"]?["value"]);
            }
        }

        var checksum = published.Kafka.Last(e => e.ItemCount == 3).Checksum;
        string last = "";
        await Eventually.WaitAsync(
            "status.sinkExports of the cluster inventory to record the published checksum for both sinks",
            async () =>
            {
                var inventory = await Env.Kube.GetAsync("KollectClusterInventory", null, Inventory);
                last = inventory?["status"]?.ToJsonString() ?? "(no status)";
                var exports = inventory?["status"]?["sinkExports"]?.AsArray() ?? [];
                return exports.Count(e => (string?)e?["lastChecksum"] == checksum) == 2 ? inventory : null;
            },
            () => Env.DiagnosticsAsync(watched),
            () => last);
    }
}
