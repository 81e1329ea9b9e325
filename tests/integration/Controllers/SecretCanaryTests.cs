using System.Text;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Kube;
using Kollect.Tests.Integration.Kube;
using Kollect.Tests.Integration.KubeApiServer;
using Kollect.Tests.Integration.Nats;

namespace Kollect.Tests.Integration.Controllers;

/// <summary>
/// SPEC §6.5 end to end: <c>kollect run</c> tests a sink whose Secret holds a canary password that
/// the broker rejects; the canary must appear in no log line, status, Event or error message.
/// </summary>
public sealed class SecretCanaryTests(KubeApiServerFixture fixture) : IClassFixture<KubeApiServerFixture>
{
    private const string Canary = "canary-7Hq2-Secret-pw";

    [Fact]
    public async Task A_rejected_canary_password_never_leaves_the_secret()
    {
        using var nats = NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(dir, "authorization { user: \"kollect\", password: \"right-pass\", timeout: 10 }"));
        await fixture.EnsureProjectCrdsAsync();
        var ns = await fixture.CreateNamespaceAsync("canary");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var sinks = await client.Discovery.ResolveAsync(new GroupVersionKind(KollectEventSink.Group, KollectEventSink.Version, KollectEventSink.KindName), default);
        var tests = await client.Discovery.ResolveAsync(new GroupVersionKind(KollectConnectionTest.Group, KollectConnectionTest.Version, KollectConnectionTest.KindName), default);
        await client.CreateAsync(KubeResource.Secrets, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "creds" },
            ["data"] = new JsonObject
            {
                ["username"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("kollect")),
                ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Canary)),
            },
        }, default);
        await client.CreateAsync(sinks, ns, new JsonObject
        {
            ["apiVersion"] = "kollect.dev/v1alpha1",
            ["kind"] = "KollectEventSink",
            ["metadata"] = new JsonObject { ["name"] = "orders" },
            ["spec"] = new JsonObject { ["type"] = "nats", ["nats"] = new JsonObject { ["url"] = nats.Url, ["subject"] = "kollect.events", ["secretRef"] = new JsonObject { ["name"] = "creds" } } },
        }, default);
        await client.CreateAsync(tests, ns, new JsonObject
        {
            ["apiVersion"] = "kollect.dev/v1alpha1",
            ["kind"] = "KollectConnectionTest",
            ["metadata"] = new JsonObject { ["name"] = "once" },
            ["spec"] = new JsonObject { ["sinkRef"] = new JsonObject { ["eventSinkRef"] = "orders" } },
        }, default);

        using var operatorProcess = new OperatorProcess(
            "--kubeconfig", fixture.KubeconfigPath, "--allow-loopback-sinks", "--log-level", "debug",
            "--health-probe-bind-address", "0", "--metrics-bind-address", "0");

        JsonObject sink = null!, test = null!;
        await Eventually.UntilAsync(async () =>
        {
            sink = await client.GetAsync(sinks, ns, "orders", default);
            test = await client.GetAsync(tests, ns, "once", default);
            var verified = sink["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "ConnectionVerified");
            return (string?)verified?["status"] == "False" && (string?)test["status"]?["result"] == "Failed";
        }, "the operator to fail the sink's connection test");
        var events = (await client.ListAllAsync(KubeResource.Events, ns, null, default)).Items;

        Assert.Contains(events, e => (string?)e["type"] == "Warning");
        Assert.Contains("rejected", sink.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, sink.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, test.ToJsonString(), StringComparison.Ordinal);
        Assert.All(events, e => Assert.DoesNotContain(Canary, e.ToJsonString(), StringComparison.Ordinal));
        Assert.Contains("sink connection test failed", operatorProcess.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, operatorProcess.Output, StringComparison.Ordinal);
    }
}
