using System.Text.Json.Nodes;
using Kollect.Operator.Controllers;
using Kollect.Operator.Kube;
using Kollect.Tests.Integration.KubeApiServer;
using Kollect.Testing.KubeApiServer;

namespace Kollect.Tests.Integration.Kube;

public sealed class KubeClientTests(KubeApiServerFixture fixture) : IClassFixture<KubeApiServerFixture>
{
    [Fact]
    public async Task Create_get_update_patch_delete_with_typed_conflict_on_stale_update()
    {
        var ns = await fixture.CreateNamespaceAsync("crud");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var created = await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("a", ns), default);
        var stale = (JsonObject)created.DeepClone();

        created["data"]!["k"] = "v2";
        var updated = await client.UpdateAsync(KubeResource.ConfigMaps, ns, "a", created, default);
        Assert.NotEqual(KubeObjects.ResourceVersion(stale), KubeObjects.ResourceVersion(updated));

        stale["data"]!["k"] = "lost update";
        var conflict = await Assert.ThrowsAsync<KubeConflictException>(() => client.UpdateAsync(KubeResource.ConfigMaps, ns, "a", stale, default));
        Assert.Equal("Conflict", conflict.Reason);

        // The caller's retry: re-read, re-apply the change, write again.
        var fresh = await client.GetAsync(KubeResource.ConfigMaps, ns, "a", default);
        fresh["data"]!["k"] = "v3";
        await client.UpdateAsync(KubeResource.ConfigMaps, ns, "a", fresh, default);

        var patched = await client.MergePatchAsync(KubeResource.ConfigMaps, ns, "a", new JsonObject { ["data"] = new JsonObject { ["extra"] = "x" } }, default);
        Assert.Equal("v3", (string?)patched["data"]!["k"]);
        Assert.Equal("x", (string?)patched["data"]!["extra"]);

        var exists = await Assert.ThrowsAsync<KubeApiException>(() => client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("a", ns), default));
        Assert.True(exists.IsAlreadyExists);

        Assert.True(await client.DeleteAsync(KubeResource.ConfigMaps, ns, "a", default));
        Assert.False(await client.DeleteAsync(KubeResource.ConfigMaps, ns, "a", default));
        var missing = await Assert.ThrowsAsync<KubeApiException>(() => client.GetAsync(KubeResource.ConfigMaps, ns, "a", default));
        Assert.True(missing.IsNotFound);
        Assert.Equal(404, missing.Status!.Code);
    }

    [Fact]
    public async Task List_pages_with_limit_and_continue_and_filters_by_label()
    {
        var ns = await fixture.CreateNamespaceAsync("pages");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        for (var i = 0; i < 7; i++)
        {
            await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap($"cm{i}", ns, new() { ["parity"] = i % 2 == 0 ? "even" : "odd" }), default);
        }
        var first = await client.ListPageAsync(KubeResource.ConfigMaps, ns, new ListOptions { Limit = 3 }, default);
        Assert.Equal(3, first.Items.Count);
        Assert.NotNull(first.Continue);
        var second = await client.ListPageAsync(KubeResource.ConfigMaps, ns, new ListOptions { Limit = 3, Continue = first.Continue }, default);
        Assert.Equal(3, second.Items.Count);
        Assert.Empty(first.Items.Select(KubeObjects.Name).Intersect(second.Items.Select(KubeObjects.Name)));

        var all = await client.ListAllAsync(KubeResource.ConfigMaps, ns, null, default, pageSize: 2);
        Assert.Equal(7, all.Items.Count);
        Assert.All(all.Items, i => Assert.Equal("ConfigMap", (string?)i["kind"]));
        Assert.Null(all.Continue);

        var even = await client.ListAllAsync(KubeResource.ConfigMaps, ns, new ListOptions { LabelSelector = LabelSelectorFormatter.Format(new Dictionary<string, string> { ["parity"] = "even" }) }, default);
        Assert.Equal(["cm0", "cm2", "cm4", "cm6"], even.Items.Select(KubeObjects.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Watch_streams_changes_after_the_given_version_and_bookmarks()
    {
        var ns = await fixture.CreateNamespaceAsync("watch");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var list = await client.ListPageAsync(KubeResource.ConfigMaps, ns, new ListOptions(), default);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<KubeWatchEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in client.WatchAsync(KubeResource.ConfigMaps, ns, list.ResourceVersion, null, 30, cts.Token))
            {
                lock (events)
                {
                    events.Add(e);
                }
                if (e.Type == "DELETED")
                {
                    break;
                }
            }
        });
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("w", ns), default);
        await client.MergePatchAsync(KubeResource.ConfigMaps, ns, "w", new JsonObject { ["data"] = new JsonObject { ["k"] = "2" } }, default);
        await Eventually.UntilAsync(() => { lock (events) { return events.Any(e => e.Type == "BOOKMARK"); } }, "a bookmark");
        await client.DeleteAsync(KubeResource.ConfigMaps, ns, "w", default);
        await watching;
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Where(e => e.Type != "BOOKMARK").Select(e => e.Type));
        Assert.All(events.Where(e => e.Type != "BOOKMARK"), e => Assert.Equal("w", KubeObjects.Name(e.Object)));
    }

    [Fact]
    public async Task Discovery_maps_kinds_to_plurals_and_scope_for_builtins_and_kollect_crds()
    {
        await fixture.EnsureProjectCrdsAsync();
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var lease = await client.Discovery.ResolveAsync(new GroupVersionKind("coordination.k8s.io", "v1", "Lease"), default);
        Assert.Equal(KubeResource.Leases, lease);
        var ns = await client.Discovery.ResolveAsync(new GroupVersionKind("", "v1", "Namespace"), default);
        Assert.False(ns.Namespaced);
        // Discovery must agree with the CRD metadata the generator compiled in.
        foreach (var kind in Kollect.Api.KollectKinds.All)
        {
            var resource = await client.Discovery.ResolveAsync(new GroupVersionKind(kind.Group, kind.Version, kind.Kind), default);
            Assert.Equal(kind.Plural, resource.Plural);
            Assert.Equal(kind.Namespaced, resource.Namespaced);
        }
        await Assert.ThrowsAsync<KubeConfigException>(() => client.Discovery.ResolveAsync(new GroupVersionKind("kollect.dev", "v1alpha1", "KollectNothing"), default));
        await Assert.ThrowsAsync<KubeConfigException>(() => client.Discovery.ResolveAsync(new GroupVersionKind("nothing.example", "v1", "X"), default));
    }

    [Fact]
    public async Task Server_errors_carry_the_api_status()
    {
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var ns = await fixture.CreateNamespaceAsync("errors");
        var (status, _) = await fixture.JsonAsync(HttpMethod.Post, "/_kollect-test/faults",
            new JsonObject { ["fail"] = new JsonObject { ["count"] = 1, ["status"] = 503, ["pathPrefix"] = $"/api/v1/namespaces/{ns}/configmaps" } });
        Assert.Equal(200, status);
        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.ListPageAsync(KubeResource.ConfigMaps, ns, new ListOptions(), default));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal("ServiceUnavailable", error.Reason);
        Assert.Contains(ns, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_with_the_kubeconfig_ca_is_trusted_and_without_it_is_refused()
    {
        await using var server = await KubeApiServerHost.StartAsync(new KubeApiServerOptions { Https = true });
        var dir = Directory.CreateTempSubdirectory("kollect-https-").FullName;
        try
        {
            var path = Path.Combine(dir, "config");
            await File.WriteAllTextAsync(path, server.KubeconfigYaml());
            using var trusted = new KubeClient(KubeConfigLoader.FromKubeconfigFiles([path], null));
            var namespaces = await trusted.ListAllAsync(KubeResource.Namespaces, null, null, default);
            Assert.Contains(namespaces.Items, n => KubeObjects.Name(n) == "default");

            var untrustedConfig = trusted.Config with { Library = new k8s.KubernetesClientConfiguration { Host = trusted.Config.Library.Host } };
            using var untrusted = new KubeClient(untrustedConfig);
            await Assert.ThrowsAsync<HttpRequestException>(() => untrusted.ListAllAsync(KubeResource.Namespaces, null, null, default));

            using var insecure = new KubeClient(untrustedConfig with { Library = new k8s.KubernetesClientConfiguration { Host = trusted.Config.Library.Host, SkipTlsVerify = true } });
            Assert.NotEmpty((await insecure.ListAllAsync(KubeResource.Namespaces, null, null, default)).Items);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Event_recorder_writes_an_events_k8s_io_v1_event_about_the_object()
    {
        var ns = await fixture.CreateNamespaceAsync("events");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var target = await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("about", ns), default);
        var recorder = new Kollect.Operator.Runtime.EventRecorder(client, "test-instance", KubeTestSupport.QuietLog());
        await recorder.RecordAsync(target, "Warning", "ExportFailed", "Export", "sink unreachable", default);
        var events = await client.ListAllAsync(KubeResource.Events, ns, null, default);
        var recorded = Assert.Single(events.Items);
        Assert.Equal("kollect.dev/operator", (string?)recorded["reportingController"]);
        Assert.Equal("ExportFailed", (string?)recorded["reason"]);
        Assert.Equal("about", (string?)recorded["regarding"]!["name"]);
        Assert.Equal(KubeObjects.Uid(target), (string?)recorded["regarding"]!["uid"]);
    }
}
