using System.Text.Json.Nodes;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Deploy;

/// <summary>
/// One namespace of objects that makes the operator use every permission config/rbac grants:
/// ConfigMaps and a Deployment to collect (the default collected kinds), a NATS sink whose token
/// is in a Secret, a Kafka sink annotated for a forced connection test (the annotation is patched
/// away), an inventory exporting to both (status patches, Events), and a KollectConnectionTest
/// with a one-second TTL (it reads its sink, gets it as owner and is deleted).
/// </summary>
public sealed record DeployScenario(string Namespace)
{
    public const string KafkaSink = "kafka";
    public const string NatsSink = "nats";
    public const string Inventory = "inventory";
    public const string ConnectionTest = "probe";
    public const string TestConnectionAnnotation = "kollect.dev/test-connection";

    /// <summary>Rows the inventory exports: two ConfigMaps and one Deployment.</summary>
    public const int ExpectedItems = 3;

    public string NatsStream => "kollect_" + Namespace.Replace('-', '_');

    public string InventoryHeader => $"{Namespace}/{Inventory}";

    public async Task CreateAsync(Installation installation)
    {
        var kube = installation.Kube;
        await kube.CreateAsync(Manifests.Namespace(Namespace));
        await kube.CreateAllAsync(
            Manifests.Secret(Namespace, "nats-token", new Dictionary<string, string> { ["token"] = Installation.NatsToken }),
            Manifests.ConfigMap(Namespace, "alpha", "one"),
            Manifests.ConfigMap(Namespace, "beta", "two"),
            Deployment(),
            Manifests.ConfigMapProfile(Namespace, "configmaps"),
            Manifests.Target(Namespace, "configmaps", "configmaps"),
            DeploymentProfile(),
            DeploymentTarget(),
            Annotated(Manifests.KafkaSink(Namespace, KafkaSink, installation.Kafka.Bootstrap, Installation.KafkaTopic)),
            Manifests.NatsSink(Namespace, NatsSink, installation.Nats.Url, $"kollect.rbac.{Namespace}", NatsStream, tokenSecret: "nats-token"),
            Manifests.Inventory(Namespace, Inventory, "0s", JsonValue.Create(KafkaSink)!, JsonValue.Create(NatsSink)!),
            Probe());
    }

    private JsonObject Deployment() => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "registry.example/web:1.2.3" }),
                },
            },
        },
    };

    private JsonObject DeploymentProfile() => new()
    {
        ["apiVersion"] = "kollect.dev/v1alpha1",
        ["kind"] = "KollectProfile",
        ["metadata"] = new JsonObject { ["name"] = "deployments", ["namespace"] = Namespace },
        ["spec"] = new JsonObject
        {
            ["targetGVK"] = new JsonObject { ["group"] = "apps", ["version"] = "v1", ["kind"] = "Deployment" },
            ["attributes"] = new JsonArray(new JsonObject { ["name"] = "image", ["path"] = "$.spec.template.spec.containers[0].image", ["type"] = "string" }),
        },
    };

    private JsonObject DeploymentTarget() => new()
    {
        ["apiVersion"] = "kollect.dev/v1alpha1",
        ["kind"] = "KollectTarget",
        ["metadata"] = new JsonObject { ["name"] = "deployments", ["namespace"] = Namespace },
        ["spec"] = new JsonObject { ["profileRef"] = "deployments", ["includedNamespaces"] = new JsonArray(Namespace) },
    };

    private JsonObject Probe() => new()
    {
        ["apiVersion"] = "kollect.dev/v1alpha1",
        ["kind"] = "KollectConnectionTest",
        ["metadata"] = new JsonObject { ["name"] = ConnectionTest, ["namespace"] = Namespace },
        ["spec"] = new JsonObject { ["sinkRef"] = new JsonObject { ["eventSinkRef"] = KafkaSink }, ["ttlSecondsAfterFinished"] = 1 },
    };

    private static JsonObject Annotated(JsonObject sink)
    {
        sink["metadata"]!["annotations"] = new JsonObject { [TestConnectionAnnotation] = "true" };
        return sink;
    }
}
