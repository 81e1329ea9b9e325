using System.Text.Json.Nodes;
using Kollect.Operator.Controllers;
using Kollect.Operator.Kube;
using Kollect.Tests.Integration.Kube;
using Kollect.Tests.Integration.KubeApiServer;
using Kollect.Tests.Integration.Nats;

namespace Kollect.Tests.Integration.Controllers;

/// <summary>The KollectEventSink reconciler against the test API server and a real nats-server (SPEC §6.3, §6.4).</summary>
public sealed class EventSinkReconcilerTests(KubeApiServerFixture fixture) : IClassFixture<KubeApiServerFixture>
{
    private static NatsServerProcess StartNatsWithPassword() =>
        NatsServerProcess.Start(dir => NatsAuthAndTlsTests.Config(dir, "authorization { user: \"kollect\", password: \"right-pass\", timeout: 10 }"));

    [Fact]
    public async Task A_wrong_password_fails_the_test_and_fixing_the_secret_reprobes_to_verified()
    {
        using var nats = StartNatsWithPassword();
        await using var controllers = await SinkControllers.StartAsync(fixture);
        await controllers.CreateSecretAsync("creds", "wrong-pass");
        await controllers.CreateNatsSinkAsync("orders", nats.Url, "creds");

        var failed = await controllers.WaitForConditionAsync("orders", "ConnectionVerified", "False", "ConnectionTestFailed");
        Assert.Equal("False", (string?)SinkControllers.Condition(failed, "Ready")?["status"]);
        Assert.Equal("True", (string?)SinkControllers.Condition(failed, "Degraded")?["status"]);
        Assert.Equal("False", (string?)SinkControllers.Condition(failed, "TLSInsecure")?["status"]);
        Assert.Equal(KubeObjects.Generation(failed), (long?)failed["status"]?["observedGeneration"]);

        await controllers.UpdateSecretAsync("creds", "right-pass");

        var verified = await controllers.WaitForConditionAsync("orders", "ConnectionVerified", "True", "ConnectionOK");
        Assert.Equal("SinkReady", (string?)SinkControllers.Condition(verified, "Ready")?["reason"]);
        Assert.Equal("False", (string?)SinkControllers.Condition(verified, "Degraded")?["status"]);
        var counter = EventSinkReconciler.ConnectionTestCounter(controllers.Metrics);
        Assert.True(counter.Value("nats", "failure") >= 1);
        Assert.True(counter.Value("nats", "success") >= 1);
        var events = (await controllers.Client.ListAllAsync(KubeResource.Events, controllers.Namespace, null, default)).Items;
        Assert.Contains(events, e => (string?)e["type"] == "Warning" && (string?)e["reason"] == "ConnectionTestFailed");
        Assert.Contains(events, e => (string?)e["type"] == "Normal" && (string?)e["reason"] == "ConnectionVerified");
    }

    [Fact]
    public async Task A_missing_or_foreign_secret_is_SecretResolveFailed_and_creating_it_verifies_the_sink()
    {
        using var nats = StartNatsWithPassword();
        await using var controllers = await SinkControllers.StartAsync(fixture);
        await controllers.CreateNatsSinkAsync("late", nats.Url, "absent");
        await controllers.CreateNatsSinkAsync("foreign", nats.Url, "creds", secretNamespace: "kube-system");

        var missing = await controllers.WaitForConditionAsync("late", "ConnectionVerified", "False", "SecretResolveFailed");
        var foreign = await controllers.WaitForConditionAsync("foreign", "ConnectionVerified", "False", "SecretResolveFailed");
        Assert.Contains("not found", (string?)SinkControllers.Condition(missing, "ConnectionVerified")?["message"], StringComparison.Ordinal);
        Assert.Contains("--allow-cross-namespace-secrets", (string?)SinkControllers.Condition(foreign, "ConnectionVerified")?["message"], StringComparison.Ordinal);

        await controllers.CreateSecretAsync("absent", "right-pass");

        await controllers.WaitForConditionAsync("late", "ConnectionVerified", "True", "ConnectionOK");
    }

    [Fact]
    public async Task Preview_is_rendered_without_update_loops_and_cleared_when_the_annotation_goes()
    {
        await using var controllers = await SinkControllers.StartAsync(fixture);
        await controllers.CreateNatsSinkAsync("preview", "nats://127.0.0.1:4222", null, new JsonObject { ["kollect.dev/preview"] = " TRUE " }, connectionTest: false);

        var sink = await controllers.WaitForConditionAsync("preview", "ConnectionVerified", "Unknown", EventSinkReconciler.ConnectionTestDisabled);
        await Eventually.UntilAsync(async () => (sink = await controllers.GetSinkAsync("preview"))["status"]?["preview"] is not null, "status.preview");
        var preview = sink["status"]!["preview"]!;
        Assert.Equal("True", (string?)SinkControllers.Condition(sink, "Ready")?["status"]);
        Assert.Equal("synthetic", (string?)preview["inputSampleSource"]);
        Assert.Equal("kollect_events", (string?)preview["nats"]?["stream"]);
        Assert.Equal("kollect.events", (string?)preview["nats"]?["subject"]);
        Assert.Contains(preview["warnings"]!.AsArray(), w => ((string?)w)!.Contains("connectionTest", StringComparison.Ordinal));

        // The status write comes back as a watch event; nothing may be written again.
        var settled = KubeObjects.ResourceVersion(sink);
        await Task.Delay(1000);
        Assert.Equal(settled, KubeObjects.ResourceVersion(await controllers.GetSinkAsync("preview")));

        await controllers.Client.MergePatchAsync(controllers.Sinks, controllers.Namespace, "preview",
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["kollect.dev/preview"] = null } } }, default);
        await Eventually.UntilAsync(async () => (await controllers.GetSinkAsync("preview"))["status"]?["preview"] is null, "the preview to be cleared");
    }

    [Fact]
    public async Task A_forced_test_runs_on_a_disabled_sink_and_its_annotation_is_removed_after_success()
    {
        using var nats = NatsServerProcess.Start();
        await using var controllers = await SinkControllers.StartAsync(fixture);
        await controllers.CreateNatsSinkAsync("forced", nats.Url, null, new JsonObject { [EventSinkReconciler.TestConnectionAnnotation] = "true" }, connectionTest: false);

        var sink = await controllers.WaitForConditionAsync("forced", "ConnectionVerified", "True", "ConnectionOK");
        await Eventually.UntilAsync(
            async () => (sink = await controllers.GetSinkAsync("forced"))["metadata"]?["annotations"]?[EventSinkReconciler.TestConnectionAnnotation] is null,
            "the test-connection annotation to be removed");
        Assert.Equal("True", (string?)SinkControllers.Condition(sink, "Ready")?["status"]);
    }

    [Fact]
    public async Task A_connection_test_probes_once_owns_itself_to_the_sink_and_expires()
    {
        using var nats = NatsServerProcess.Start();
        await using var controllers = await SinkControllers.StartAsync(fixture);
        var sink = await controllers.CreateNatsSinkAsync("target", nats.Url, null);
        await controllers.Client.CreateAsync(controllers.Tests, controllers.Namespace, ConnectionTest("now", new JsonObject { ["eventSinkRef"] = "target" }, ttlSeconds: 2), default);
        await controllers.Client.CreateAsync(controllers.Tests, controllers.Namespace, ConnectionTest("db", new JsonObject { ["databaseSinkRef"] = "pg" }, ttlSeconds: 300), default);

        JsonObject test = null!;
        await Eventually.UntilAsync(async () =>
        {
            test = await controllers.Client.GetAsync(controllers.Tests, controllers.Namespace, "now", default);
            return (bool?)test["status"]?["completed"] == true;
        }, "the connection test to complete");
        Assert.Equal("Succeeded", (string?)test["status"]?["result"]);
        Assert.NotNull(test["status"]?["latencyMs"]);
        Assert.NotNull(test["status"]?["completedAt"]);
        Assert.Equal(KubeObjects.Uid(sink), (string?)test["metadata"]?["ownerReferences"]?[0]?["uid"]);

        JsonObject db = null!;
        await Eventually.UntilAsync(async () =>
        {
            db = await controllers.Client.GetAsync(controllers.Tests, controllers.Namespace, "db", default);
            return (bool?)db["status"]?["completed"] == true;
        }, "the database-sink test to complete");
        Assert.Equal("Failed", (string?)db["status"]?["result"]);
        Assert.Contains("not supported", (string?)db["status"]?["message"], StringComparison.Ordinal);

        await Eventually.UntilAsync(async () =>
        {
            try
            {
                await controllers.Client.GetAsync(controllers.Tests, controllers.Namespace, "now", default);
                return false;
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return true;
            }
        }, "the connection test to be deleted after its TTL");
    }

    private static JsonObject ConnectionTest(string name, JsonObject sinkRef, int ttlSeconds) => new()
    {
        ["apiVersion"] = "kollect.dev/v1alpha1",
        ["kind"] = "KollectConnectionTest",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["sinkRef"] = sinkRef, ["ttlSecondsAfterFinished"] = ttlSeconds },
    };
}
