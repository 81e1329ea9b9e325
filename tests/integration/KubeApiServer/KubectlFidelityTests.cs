using System.Text.Json.Nodes;

namespace Kollect.Tests.Integration.KubeApiServer;

/// <summary>
/// The test API server driven by the real kubectl 1.32: what kubectl users (and the e2e
/// scenarios) do against a real cluster must work, and errors must name the field path.
/// </summary>
public sealed class KubectlFidelityTests : IClassFixture<KubeApiServerFixture>
{
    private readonly KubeApiServerFixture _server;

    public KubectlFidelityTests(KubeApiServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task ProjectCrdsBecomeEstablishedAndAppearInDiscoveryWithShortNames()
    {
        await _server.EnsureProjectCrdsAsync();
        Assert.Equal(8, KubeApiServerFixture.ProjectCrdNames().Count);

        var reapply = await _server.KubectlOkAsync("apply", "-f", KubeApiServerFixture.CrdDirectory);
        Assert.Equal(8, reapply.Split('\n').Count(l => l.EndsWith(" unchanged", StringComparison.Ordinal)));

        var resources = await _server.KubectlOkAsync("api-resources", "--api-group=kollect.dev", "-o", "wide");
        foreach (var plural in KubeApiServerFixture.ProjectCrdNames().Select(n => n.Split('.')[0]))
        {
            Assert.Contains(plural, resources);
        }
        Assert.Contains("kevt", resources);
        Assert.Contains("ktgt", resources);

        var crd = await _server.KubectlJsonAsync("get", "crd", "kollecttargets.kollect.dev");
        var conditions = crd["status"]!["conditions"]!.AsArray().Select(c => ((string)c!["type"]!, (string)c["status"]!)).ToList();
        Assert.Contains(("NamesAccepted", "True"), conditions);
        Assert.Contains(("Established", "True"), conditions);
    }

    [Fact]
    public async Task UpstreamSamplesApplyAndPrintThroughShortNamesAndPrinterColumns()
    {
        await _server.EnsureProjectCrdsAsync();
        await _server.KubectlOkAsync("apply", "-f", KubeApiServerFixture.SampleDirectory, "-f", Path.Combine(KubeApiServerFixture.SampleDirectory, "advanced"));

        var sinks = await _server.KubectlOkAsync("get", "kevt", "-n", "default");
        Assert.Contains("nats-inventory-demo", sinks);
        Assert.Contains("kafka-inventory-demo", sinks);

        var targets = await _server.KubectlOkAsync("get", "ktgt", "-n", "default");
        var header = targets.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "COLLECTED", "UPDATED", "AGE"], header);
        Assert.Contains("nginx-deployments", targets);

        var inventory = await _server.KubectlJsonAsync("get", "kinv", "team-inventory", "-n", "default");
        Assert.Equal("postgres-inventory-demo", (string?)inventory["spec"]!["databaseSinkRefs"]![0]);
    }

    [Fact]
    public async Task InvalidManifestIsRejectedAndKubectlNamesTheFieldPath()
    {
        await _server.EnsureProjectCrdsAsync();
        var ns = await _server.CreateNamespaceAsync("invalid");
        var badType = await _server.KubectlWithInputAsync($$$$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectEventSink",
             "metadata":{"name":"bad-type","namespace":"{{{{ns}}}}"},"spec":{"type":"carrier-pigeon"}}
            """, "apply", "-f", "-");
        Assert.NotEqual(0, badType.ExitCode);
        Assert.Contains("spec.type: Unsupported value: \"carrier-pigeon\"", badType.StandardError);

        var missingTopic = await _server.KubectlWithInputAsync($$$$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectEventSink",
             "metadata":{"name":"no-topic","namespace":"{{{{ns}}}}"},"spec":{"type":"kafka","kafka":{"brokers":["b:9092"]}}}
            """, "apply", "-f", "-");
        Assert.NotEqual(0, missingTopic.ExitCode);
        Assert.Contains("spec.kafka.topic: Required value", missingTopic.StandardError);

        var unknownField = await _server.KubectlWithInputAsync($$$$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectTarget",
             "metadata":{"name":"unknown-field","namespace":"{{{{ns}}}}"},"spec":{"profileRef":"p","bogus":1}}
            """, "apply", "-f", "-");
        Assert.NotEqual(0, unknownField.ExitCode);
        Assert.Contains("unknown field \"spec.bogus\"", unknownField.StandardError);

        var none = await _server.KubectlAsync("get", "kevt,ktgt", "-n", ns, "-o", "name");
        Assert.Equal("", none.StandardOutput.Trim());
    }

    [Fact]
    public async Task SchemaDefaultsAreVisibleAfterCreate()
    {
        await _server.EnsureProjectCrdsAsync();
        var ns = await _server.CreateNamespaceAsync("defaults");
        await ApplyAsync($$$$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectTarget",
             "metadata":{"name":"defaulted","namespace":"{{{{ns}}}}"},"spec":{"profileRef":"p"}}
            """);
        var target = await _server.KubectlJsonAsync("get", "ktgt", "defaulted", "-n", ns);
        Assert.Equal("All", (string?)target["spec"]!["watchMode"]);

        await ApplyAsync($$$$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectEventSink",
             "metadata":{"name":"defaulted","namespace":"{{{{ns}}}}"},
             "spec":{"type":"nats","nats":{"subject":"s"},"layout":{}}}
            """);
        var sink = await _server.KubectlJsonAsync("get", "kevt", "defaulted", "-n", ns);
        Assert.True((bool)sink["spec"]!["connectionTest"]!);
        Assert.Equal("item", (string?)sink["spec"]!["layout"]!["content"]);
    }

    [Fact]
    public async Task SpecPatchBumpsGenerationWhileStatusPatchDoesNot()
    {
        await _server.EnsureProjectCrdsAsync();
        var ns = await _server.CreateNamespaceAsync("generation");
        await ApplyAsync($$$$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectTarget",
             "metadata":{"name":"gen","namespace":"{{{{ns}}}}"},"spec":{"profileRef":"p"}}
            """);
        Assert.Equal(1, await GenerationAsync(ns));

        await _server.KubectlOkAsync("patch", "ktgt", "gen", "-n", ns, "--type", "merge", "-p", """{"spec":{"suspend":true}}""");
        Assert.Equal(2, await GenerationAsync(ns));

        await _server.KubectlOkAsync("patch", "ktgt", "gen", "-n", ns, "--subresource=status", "--type", "merge", "-p", """{"status":{"collectedCount":7}}""");
        var target = await _server.KubectlJsonAsync("get", "ktgt", "gen", "-n", ns);
        Assert.Equal(2, (long)target["metadata"]!["generation"]!);
        Assert.Equal(7, (long)target["status"]!["collectedCount"]!);

        // Status sent to the main endpoint is ignored when the /status subresource exists.
        await _server.KubectlOkAsync("patch", "ktgt", "gen", "-n", ns, "--type", "merge", "-p", """{"status":{"collectedCount":99}}""");
        target = await _server.KubectlJsonAsync("get", "ktgt", "gen", "-n", ns);
        Assert.Equal(7, (long)target["status"]!["collectedCount"]!);
        Assert.Equal(2, (long)target["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task WatchingWithKubectlSeesAnUpdate()
    {
        await _server.EnsureProjectCrdsAsync();
        var ns = await _server.CreateNamespaceAsync("watch");
        await ApplyAsync($$$$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectTarget",
             "metadata":{"name":"watched","namespace":"{{{{ns}}}}"},"spec":{"profileRef":"p"}}
            """);
        using var watch = _server.StartKubectl("get", "ktgt", "-n", ns, "-w");
        await watch.WaitForOutputAsync(o => o.Contains("watched", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        await _server.KubectlOkAsync("patch", "ktgt", "watched", "-n", ns, "--subresource=status", "--type", "merge", "-p", """{"status":{"collectedCount":4242}}""");

        await watch.WaitForOutputAsync(o => o.Contains("4242", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Single(watch.Output.Split('\n'), l => l.StartsWith("NAME", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeleteWithAFinalizerWaitsUntilTheFinalizerIsRemoved()
    {
        await _server.EnsureProjectCrdsAsync();
        var ns = await _server.CreateNamespaceAsync("finalizer");
        await ApplyAsync($$$$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectProfile",
             "metadata":{"name":"held","namespace":"{{{{ns}}}}","finalizers":["kollect.dev/test-hold"]},
             "spec":{"targetGVK":{"version":"v1","kind":"ConfigMap"}}}
            """);
        await ApplyAsync($$$$"""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectProfile",
             "metadata":{"name":"free","namespace":"{{{{ns}}}}"},"spec":{"targetGVK":{"version":"v1","kind":"ConfigMap"}}}
            """);

        Assert.Contains("deleted", await _server.KubectlOkAsync("delete", "kollectprofile", "free", "-n", ns));
        Assert.Contains("NotFound", (await _server.KubectlAsync("get", "kollectprofile", "free", "-n", ns)).StandardError);

        await _server.KubectlOkAsync("delete", "kollectprofile", "held", "-n", ns, "--wait=false");
        var held = await _server.KubectlJsonAsync("get", "kollectprofile", "held", "-n", ns);
        Assert.NotNull(held["metadata"]!["deletionTimestamp"]);

        await _server.KubectlOkAsync("patch", "kollectprofile", "held", "-n", ns, "--type", "json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""");
        var gone = await _server.KubectlAsync("get", "kollectprofile", "held", "-n", ns);
        Assert.Contains("NotFound", gone.StandardError);
    }

    [Fact]
    public async Task BuiltInsApplyWithStrategicMergePatchAndSelectByLabel()
    {
        var ns = await _server.CreateNamespaceAsync("builtins");
        string Deployment(string image) => $$$$"""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"{{{{ns}}}}","labels":{"app":"web"}},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"{{{{image}}}}"},{"name":"side","image":"busybox"}]}}}
            }
            """;
        await ApplyAsync(Deployment("nginx:1.27"));
        await ApplyAsync(Deployment("nginx:1.28"));
        var deployment = await _server.KubectlJsonAsync("get", "deploy", "web", "-n", ns);
        Assert.Equal(2, (long)deployment["metadata"]!["generation"]!);
        var containers = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["nginx:1.28", "busybox"], containers.Select(c => (string)c!["image"]!));

        await ApplyAsync($$$$"""
            {"apiVersion":"v1","kind":"List","items":[
              {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"{{{{ns}}}}","labels":{"tier":"front"}}},
              {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"{{{{ns}}}}","labels":{"tier":"back"}}},
              {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"{{{{ns}}}}"}}]}
            """);
        Assert.Equal("configmap/a", (await _server.KubectlOkAsync("get", "cm", "-n", ns, "-l", "tier=front", "-o", "name")).Trim());
        Assert.Equal("configmap/a\nconfigmap/b", (await _server.KubectlOkAsync("get", "cm", "-n", ns, "-l", "tier in (front,back)", "-o", "name")).Trim());
        Assert.Equal("configmap/c", (await _server.KubectlOkAsync("get", "cm", "-n", ns, "-l", "!tier", "-o", "name")).Trim());
        Assert.Equal("configmap/b", (await _server.KubectlOkAsync("get", "cm", "-n", ns, "--field-selector", "metadata.name=b", "-o", "name")).Trim());
    }

    [Fact]
    public async Task TypedCreateCommandsWorkThroughTheirProtobufBodies()
    {
        var ns = "typed-" + Guid.NewGuid().ToString("N")[..8];
        await _server.KubectlOkAsync("create", "namespace", ns);
        await _server.KubectlOkAsync("create", "configmap", "settings", "-n", ns, "--from-literal=mode=fast");
        await _server.KubectlOkAsync("create", "secret", "generic", "credentials", "-n", ns, "--from-literal=password=s3cret");

        var configMap = await _server.KubectlJsonAsync("get", "configmap", "settings", "-n", ns);
        Assert.Equal("fast", (string?)configMap["data"]!["mode"]);
        var secret = await _server.KubectlJsonAsync("get", "secret", "credentials", "-n", ns);
        Assert.Equal(Convert.ToBase64String("s3cret"u8), (string?)secret["data"]!["password"]);
        Assert.Equal("Opaque", (string?)secret["type"]);
    }

    private async Task ApplyAsync(string manifest)
    {
        var result = await _server.KubectlWithInputAsync(manifest, "apply", "-f", "-");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private async Task<long> GenerationAsync(string ns)
    {
        var target = await _server.KubectlJsonAsync("get", "ktgt", "gen", "-n", ns);
        return (long)target["metadata"]!["generation"]!;
    }
}
