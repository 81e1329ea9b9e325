using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;
using Kollect.Tests.Integration.KubeApiServer;

namespace Kollect.Tests.Integration.Kube;

public sealed class InformerTests(KubeApiServerFixture fixture) : IClassFixture<KubeApiServerFixture>
{
    private sealed class Recorder
    {
        private readonly List<(InformerEventType Type, string Name)> _events = [];

        public void On(InformerEventType type, JsonObject obj)
        {
            lock (_events)
            {
                _events.Add((type, KubeObjects.Name(obj)!));
            }
        }

        public List<(InformerEventType Type, string Name)> Snapshot()
        {
            lock (_events)
            {
                return [.. _events];
            }
        }

        public int Count => Snapshot().Count;
    }

    /// <summary>A started informer over the ConfigMaps of a fresh namespace; stopped on dispose.</summary>
    private sealed class RunningInformer(string ns, KubeClient client, Recorder recorder, Informer informer, CancellationTokenSource stop, Task running) : IAsyncDisposable
    {
        public string Namespace => ns;

        public KubeClient Client => client;

        public Recorder Recorder => recorder;

        public Informer Informer => informer;

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await running;
            stop.Dispose();
            client.Dispose();
        }
    }

    /// <summary>
    /// Creates <paramref name="objects"/> in a fresh namespace, then starts an informer over its
    /// ConfigMaps (with <paramref name="declare"/> run before the start) and waits for its first list.
    /// </summary>
    private async Task<RunningInformer> StartAsync(
        string prefix, InformerOptions? options, Action<Informer>? declare, params (string Name, Dictionary<string, string>? Labels)[] objects)
    {
        var ns = await fixture.CreateNamespaceAsync(prefix);
        var client = new KubeClient(KubeTestSupport.Config(fixture));
        foreach (var (name, labels) in objects)
        {
            await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap(name, ns, labels), default);
        }
        var recorder = new Recorder();
        var informer = new Informer(client, KubeResource.ConfigMaps, ns, null, recorder.On, KubeTestSupport.QuietLog(), options);
        declare?.Invoke(informer);
        var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        await Eventually.UntilAsync(() => informer.HasSynced && recorder.Count == objects.Length, "initial list");
        return new RunningInformer(ns, client, recorder, informer, stop, running);
    }

    private static readonly InformerOptions QuickBackoff = new() { Backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)) };

    private Task FaultAsync(JsonObject body) => fixture.JsonAsync(HttpMethod.Post, "/_kollect-test/faults", body);

    /// <summary>Drops the informer's watch; retries until one was open (the informer may still be opening it).</summary>
    private Task DropWatchAsync() => Eventually.UntilAsync(async () =>
    {
        var (_, body) = await fixture.JsonAsync(HttpMethod.Post, "/_kollect-test/faults", new JsonObject { ["dropWatches"] = true });
        return (int)body["droppedWatches"]! > 0;
    }, "an open watch to drop");

    [Fact]
    public async Task Lists_then_watches_and_resumes_after_a_dropped_watch_without_relisting()
    {
        var ns = await fixture.CreateNamespaceAsync("informer");
        var counting = new ResponseCountingHandler(KubeClient.CreateHandler(KubeTestSupport.Config(fixture)));
        using var client = new KubeClient(KubeTestSupport.Config(fixture), counting);
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("a", ns), default);
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("b", ns), default);
        var recorder = new Recorder();
        var informer = new Informer(client, KubeResource.ConfigMaps, ns, null, recorder.On, KubeTestSupport.QuietLog(), new InformerOptions { PageSize = 1 });
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);

        await Eventually.UntilAsync(() => informer.HasSynced && recorder.Count == 2, "initial list");
        Assert.Equal([(InformerEventType.Added, "a"), (InformerEventType.Added, "b")], recorder.Snapshot().Order());

        await client.MergePatchAsync(KubeResource.ConfigMaps, ns, "a", new JsonObject { ["data"] = new JsonObject { ["k"] = "2" } }, default);
        await Eventually.UntilAsync(() => recorder.Count == 3, "MODIFIED a");

        for (var round = 0; round < 3; round++)
        {
            await DropWatchAsync();
            await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap($"after-drop-{round}", ns), default);
            await Eventually.UntilAsync(() => informer.Get(new ObjectKey(ns, $"after-drop-{round}")) is not null, $"object created after drop {round}");
        }
        await client.DeleteAsync(KubeResource.ConfigMaps, ns, "b", default);
        await Eventually.UntilAsync(() => informer.Get(new ObjectKey(ns, "b")) is null, "DELETED b");

        Assert.Equal(1, informer.Lists);
        Assert.Equal(
            [
                (InformerEventType.Added, "a"), (InformerEventType.Added, "b"), (InformerEventType.Modified, "a"),
                (InformerEventType.Added, "after-drop-0"), (InformerEventType.Added, "after-drop-1"), (InformerEventType.Added, "after-drop-2"),
                (InformerEventType.Deleted, "b"),
            ],
            recorder.Snapshot().Take(2).Order().Concat(recorder.Snapshot().Skip(2)));

        await stop.CancelAsync();
        await running;
        Assert.True(counting.Total > 4);
        Assert.Equal(0, counting.Open);
    }

    [Fact]
    public async Task Expired_watch_relists_and_reports_only_what_changed_meanwhile()
    {
        var ns = await fixture.CreateNamespaceAsync("relist");
        var selector = $"informer-test={ns}";
        var labels = new Dictionary<string, string> { ["informer-test"] = ns };
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        foreach (var name in new[] { "same1", "same2", "changed", "removed" })
        {
            await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap(name, ns, labels), default);
        }
        var recorder = new Recorder();
        // Watches across namespaces (path /api/v1/configmaps) so a delay on that path holds the
        // informer's re-watch while the writes below (namespaced paths) go through.
        var informer = new Informer(client, KubeResource.ConfigMaps, null, new ListOptions { LabelSelector = selector }, recorder.On,
            KubeTestSupport.QuietLog(), new InformerOptions { Backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100)) });
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        await Eventually.UntilAsync(() => informer.HasSynced && recorder.Count == 4, "initial list");
        var before = recorder.Count;

        await FaultAsync(new JsonObject { ["delayMs"] = 1500, ["delayPathPrefix"] = "/api/v1/configmaps" });
        await DropWatchAsync();
        await client.MergePatchAsync(KubeResource.ConfigMaps, ns, "changed", new JsonObject { ["data"] = new JsonObject { ["k"] = "new" } }, default);
        await client.DeleteAsync(KubeResource.ConfigMaps, ns, "removed", default);
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("added", ns, labels), default);
        await FaultAsync(new JsonObject { ["compact"] = true, ["delayMs"] = 0 });

        await Eventually.UntilAsync(() => informer.Lists >= 2 && recorder.Count >= before + 3, "relist after 410");
        var afterRelist = recorder.Snapshot().Skip(before).ToList();
        Assert.Equal(
            [(InformerEventType.Added, "added"), (InformerEventType.Modified, "changed"), (InformerEventType.Deleted, "removed")],
            afterRelist.OrderBy(e => e.Name, StringComparer.Ordinal).ToList());

        // Still watching after the relist.
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("later", ns, labels), default);
        await Eventually.UntilAsync(() => informer.Get(new ObjectKey(ns, "later")) is not null, "watch after relist");
        Assert.DoesNotContain(recorder.Snapshot().Skip(before), e => e.Name is "same1" or "same2");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Http_410_and_server_errors_on_watch_relist_or_back_off_then_recover()
    {
        await using var run = await StartAsync("faults", QuickBackoff, null, ("x", null));
        var (ns, client, recorder, informer) = (run.Namespace, run.Client, run.Recorder, run.Informer);
        var path = $"/api/v1/namespaces/{ns}/configmaps";

        await FaultAsync(new JsonObject { ["fail"] = new JsonObject { ["count"] = 1, ["status"] = 410, ["verb"] = "watch", ["pathPrefix"] = path } });
        await DropWatchAsync();
        await Eventually.UntilAsync(() => informer.Lists == 2, "relist after HTTP 410");

        await FaultAsync(new JsonObject { ["fail"] = new JsonObject { ["count"] = 3, ["status"] = 500, ["verb"] = "watch", ["pathPrefix"] = path } });
        await DropWatchAsync();
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("y", ns), default);
        await Eventually.UntilAsync(() => informer.Get(new ObjectKey(ns, "y")) is not null, "recovery after 500s");

        Assert.Equal([(InformerEventType.Added, "x"), (InformerEventType.Added, "y")], recorder.Snapshot());
        Assert.Equal(2, informer.Lists);
    }

    [Fact]
    public async Task A_declared_index_follows_adds_changes_deletes_and_relists()
    {
        await using var run = await StartAsync("index", null, declared =>
        {
            declared.AddIndex("team", obj => obj["metadata"]?["labels"]?["team"] is { } team ? [(string)team!] : []);
            Assert.Throws<InvalidOperationException>(() => declared.AddIndex("team", _ => []));
        }, ("a", new() { ["team"] = "x" }), ("b", new() { ["team"] = "y" }));
        var (ns, client, informer) = (run.Namespace, run.Client, run.Informer);
        string[] Team(string team) => [.. informer.ByIndex("team", team).Select(o => KubeObjects.Name(o)!).Order(StringComparer.Ordinal)];
        Assert.Equal(["a"], Team("x"));
        Assert.Equal(["b"], Team("y"));

        await client.MergePatchAsync(KubeResource.ConfigMaps, ns, "b", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "x" } } }, default);
        await Eventually.UntilAsync(() => Team("x").Length == 2, "b moved to team x");
        Assert.Empty(Team("y"));

        await client.DeleteAsync(KubeResource.ConfigMaps, ns, "a", default);
        await Eventually.UntilAsync(() => informer.Get(new ObjectKey(ns, "a")) is null, "DELETED a");
        Assert.Equal(["b"], Team("x"));

        // A relist replaces the cache; the index must end where the server is.
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("c", ns, new() { ["team"] = "z" }), default);
        await FaultAsync(new JsonObject { ["fail"] = new JsonObject { ["count"] = 1, ["status"] = 410, ["verb"] = "watch", ["pathPrefix"] = $"/api/v1/namespaces/{ns}/configmaps" } });
        await DropWatchAsync();
        await Eventually.UntilAsync(() => informer.Lists >= 2 && Team("z").Length == 1, "relist after HTTP 410");
        Assert.Equal(["b"], Team("x"));
        Assert.Equal(["b", "c"], informer.Indexed("team").Select(o => KubeObjects.Name(o)!).Order(StringComparer.Ordinal));
        Assert.Throws<InvalidOperationException>(() => informer.ByIndex("owner", "x"));
    }

    [Fact]
    public async Task A_version_only_stream_hands_over_no_listed_object_but_every_later_event()
    {
        var ns = await fixture.CreateNamespaceAsync("versiononly");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("before-1", ns), default);
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("before-2", ns), default);
        var receiver = new CountingReceiver();
        var recorder = new Recorder();
        var stream = new ObjectStream(client, KubeResource.ConfigMaps, ns, null, () => receiver, recorder.On, KubeTestSupport.QuietLog(),
            new InformerOptions { VersionOnlyList = true });
        using var stop = new CancellationTokenSource();
        var running = stream.RunAsync(stop.Token);
        await Eventually.UntilAsync(() => stream.HasSynced, "version-only list");
        Assert.Equal((0, 1), (receiver.Items, receiver.Completed));

        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("after", ns), default);
        await client.DeleteAsync(KubeResource.ConfigMaps, ns, "before-1", default);
        await Eventually.UntilAsync(() => recorder.Count == 2, "events after the list");
        Assert.Equal([(InformerEventType.Added, "after"), (InformerEventType.Deleted, "before-1")], recorder.Snapshot());
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task An_object_this_process_wrote_is_cached_before_its_watch_event_which_is_then_no_change()
    {
        await using var run = await StartAsync("wrote", QuickBackoff, null, ("a", null));
        var (ns, client, recorder, informer) = (run.Namespace, run.Client, run.Recorder, run.Informer);
        var key = new ObjectKey(ns, "a");
        var before = KubeObjects.ResourceVersion(informer.Get(key)!);

        // Hold the watch away, so our write's event cannot overtake the write-through.
        await FaultAsync(new JsonObject { ["fail"] = new JsonObject { ["count"] = 100000, ["status"] = 500, ["verb"] = "watch", ["pathPrefix"] = $"/api/v1/namespaces/{ns}/configmaps" } });
        await DropWatchAsync();
        var written = await client.MergePatchAsync(KubeResource.ConfigMaps, ns, "a", new JsonObject { ["data"] = new JsonObject { ["k"] = "mine" } }, default);
        Assert.False(informer.Wrote(written, "not-the-cached-version"));
        Assert.True(informer.Wrote(written, before));
        Assert.Equal("mine", (string?)informer.Get(key)!["data"]!["k"]);
        await fixture.JsonAsync(HttpMethod.Delete, "/_kollect-test/faults");

        // The watch event of our own write is no change; a later write by someone else is one.
        var theirs = await client.MergePatchAsync(KubeResource.ConfigMaps, ns, "a", new JsonObject { ["data"] = new JsonObject { ["k"] = "theirs" } }, default);
        await Eventually.UntilAsync(() => KubeObjects.ResourceVersion(informer.Get(key)!) == KubeObjects.ResourceVersion(theirs), "their write arrives");
        Assert.Equal([(InformerEventType.Added, "a"), (InformerEventType.Modified, "a")], recorder.Snapshot());

        // A write based on a version the cache has moved past is refused, so a newer event is never overwritten.
        Assert.False(informer.Wrote(written, before));
        Assert.Equal("theirs", (string?)informer.Get(key)!["data"]!["k"]);
        Assert.False(informer.Wrote(KubeTestSupport.ConfigMap("never-cached", ns), null));
    }

    private sealed class CountingReceiver : IObjectListReceiver
    {
        public int Items { get; private set; }

        public int Completed { get; private set; }

        public void Page(IReadOnlyList<JsonObject> items) => Items += items.Count;

        public void Complete() => Completed++;
    }
}
