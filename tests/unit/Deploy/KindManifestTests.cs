using System.Text.Json.Nodes;
using static Kollect.Tests.Unit.Deploy.RenderedConfig;

namespace Kollect.Tests.Unit.Deploy;

/// <summary>
/// The manifests of kind mode (tests/e2e/kind, run by scripts/e2e-kind.sh) cannot run on machines
/// without Docker; these checks keep them rendering and consistent with what KindCluster and
/// KindEnvironment expect.
/// </summary>
public sealed class KindManifestTests
{
    [Fact]
    public void Operator_overlay_is_config_default_stopped_with_the_e2e_cluster_name_and_private_sinks()
    {
        var overlay = Render("tests/e2e/kind/operator");
        var plain = Render("config/default");
        var deployment = Single(overlay, "Deployment", "kollect");
        var args = Strings(deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]);

        Assert.Equal(plain.Select(o => $"{Kind(o)} {Name(o)}").Order(StringComparer.Ordinal), overlay.Select(o => $"{Kind(o)} {Name(o)}").Order(StringComparer.Ordinal));
        Assert.Equal(0L, (long)deployment["spec"]!["replicas"]!);
        Assert.Contains("--cluster-name=e2e-cluster", args);
        Assert.Contains("--allow-private-sinks", args);
        Assert.Contains("--leader-elect", args);
    }

    [Fact]
    public void Brokers_are_nats_with_jetstream_on_a_volume_and_single_node_kraft_kafka_with_an_external_listener()
    {
        var brokers = Render("tests/e2e/kind/brokers");
        Assert.All(brokers.Where(o => Kind(o) != "Namespace"), o => Assert.Equal("kollect-e2e", Namespace(o)));

        var nats = Single(brokers, "StatefulSet", "nats");
        Assert.Contains("-js", Strings(nats["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]));
        Assert.Single(nats["spec"]!["volumeClaimTemplates"]!.AsArray());
        Assert.Contains(Single(brokers, "Service", "nats")["spec"]!["ports"]!.AsArray(), p => (long)p!["port"]! == 4222);

        var kafka = Single(brokers, "Deployment", "kafka")["spec"]!["template"]!["spec"]!;
        var env = kafka["containers"]![0]!["env"]!.AsArray().ToDictionary(e => (string)e!["name"]!, e => (string?)e!["value"]);
        Assert.Equal("broker,controller", env["KAFKA_PROCESS_ROLES"]);
        Assert.Contains("EXTERNAL://127.0.0.1:39094", env["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.Contains("PLAINTEXT://kafka.kollect-e2e.svc.cluster.local:9092", env["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.False((bool)kafka["enableServiceLinks"]!);
        Assert.Contains(Single(brokers, "Service", "kafka")["spec"]!["ports"]!.AsArray(), p => (long)p!["port"]! == 9094);
    }
}
