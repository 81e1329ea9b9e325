using System.Text;
using System.Text.Json;
using Kollect.Operator.Pipeline;

namespace Kollect.Tests.Unit.Pipeline;

/// <summary>
/// <c>kollect export --objects</c> collects core v1 Secrets like the operator (SPEC §3, §8; issue
/// #12), as the API server stores them, and one Secret manifest serves sinks and targets alike.
/// </summary>
public sealed class OneShotExportSecretTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("kollect-compat-secrets-");

    private string Config => Path.Combine(_root.FullName, "config");

    private string Objects => Path.Combine(_root.FullName, "objects");

    public OneShotExportSecretTests()
    {
        Directory.CreateDirectory(Config);
        Directory.CreateDirectory(Objects);
        Write(Config, "kollect.yaml", """
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: secret-metadata, namespace: team-a}
            spec:
              targetGVK: {group: "", version: v1, kind: Secret}
              attributes:
                - {name: labels, path: '$.metadata.labels', optional: true}
                - {name: type, path: '$.type'}
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectTarget
            metadata: {name: secrets, namespace: team-a}
            spec: {profileRef: secret-metadata}
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectEventSink
            metadata: {name: events, namespace: team-a}
            spec:
              type: nats
              cluster: prod
              nats: {url: "nats://nats.example.com:4222", subject: inventory.team-a, secretRef: {name: nats-login}}
            ---
            apiVersion: kollect.dev/v1alpha1
            kind: KollectInventory
            metadata: {name: inventory, namespace: team-a}
            spec: {eventSinkRefs: [events]}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: config-only, namespace: team-a}
            stringData: {note: from-config}
            """);
    }

    [Fact]
    public async Task Secrets_of_objects_and_configuration_are_collected_and_sinks_use_the_objects_ones()
    {
        Write(Objects, "secrets.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: nats-login, namespace: team-a, labels: {app: nats}}
            stringData: {username: kollect, password: not-a-real-password}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: db, namespace: team-a}
            type: kubernetes.io/basic-auth
            data: {password: aHVudGVyMg==}
            """);

        var (result, gateway) = await RunAsync();

        Assert.Empty(result.ConfigurationProblems);
        var outcome = Assert.Single(Assert.Single(result.Inventories).Result.Sinks);
        Assert.True(outcome.State == SinkExportState.Exported, outcome.Message);
        var message = Assert.Single(gateway.Published("team-a/events"));
        using var envelope = JsonDocument.Parse(message.Body);
        Assert.Equal(
            """[{"targetNamespace":"team-a","targetName":"secrets","namespace":"team-a","name":"config-only","version":"v1","kind":"Secret","uid":"","attributes":{"type":"Opaque"}},"""
            + """{"targetNamespace":"team-a","targetName":"secrets","namespace":"team-a","name":"db","version":"v1","kind":"Secret","uid":"","attributes":{"type":"kubernetes.io/basic-auth"}},"""
            + """{"targetNamespace":"team-a","targetName":"secrets","namespace":"team-a","name":"nats-login","version":"v1","kind":"Secret","uid":"","attributes":{"labels":{"app":"nats"},"type":"Opaque"}}]""",
            envelope.RootElement.GetProperty("payload").GetProperty("items").GetRawText());
        Assert.DoesNotContain("not-a-real-password", Encoding.UTF8.GetString(message.Body.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_defined_differently_in_objects_and_configuration_is_a_problem()
    {
        Write(Objects, "secrets.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: config-only, namespace: team-a}
            stringData: {note: from-objects}
            """);

        var (result, gateway) = await RunAsync();

        var problem = Assert.Single(result.ConfigurationProblems);
        Assert.Contains("Secret team-a/config-only is also defined, differently,", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("from-", problem, StringComparison.Ordinal);
        Assert.Equal(0, gateway.Count);
    }

    [Fact]
    public async Task The_same_folder_for_configuration_and_objects_collects_each_secret_once()
    {
        Write(Config, "login.yaml", """
            apiVersion: v1
            kind: Secret
            metadata: {name: nats-login, namespace: team-a}
            stringData: {token: not-a-real-token}
            """);

        var (result, gateway) = await RunAsync(objects: Config);

        Assert.Empty(result.ConfigurationProblems);
        using var envelope = JsonDocument.Parse(Assert.Single(gateway.Published("team-a/events")).Body);
        Assert.Equal(
            ["config-only", "nats-login"],
            envelope.RootElement.GetProperty("payload").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
    }

    [Fact]
    public void A_secret_manifest_is_collected_as_the_api_server_stores_it()
    {
        var manifest = System.Text.Json.Nodes.JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"YQ==","b":"Yg=="},"stringData":{"b":"B","c":"ç"}}""")!.AsObject();
        Assert.Equal(
            """{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"YQ==","b":"Qg==","c":"w6c="},"type":"Opaque"}""",
            Kollect.Operator.Manifests.ManifestSecretStore.AsStored(manifest).ToJsonString());
        Assert.True(manifest.ContainsKey("stringData"));
    }

    public void Dispose() => _root.Delete(recursive: true);

    private async Task<(OneShotExportResult Result, RecordingGateway Gateway)> RunAsync(string? objects = null)
    {
        var gateway = new RecordingGateway();
        var export = new OneShotExport(new ExportRequest { ConfigPaths = [Config], ObjectPaths = [objects ?? Objects] });
        return (await export.RunAsync(gateway, null, CancellationToken.None), gateway);
    }

    private static void Write(string directory, string name, string text) => File.WriteAllText(Path.Combine(directory, name), text + "\n");
}
