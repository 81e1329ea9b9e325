using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;
using Kollect.Tests.Integration.KubeApiServer;

namespace Kollect.Tests.Integration.Kube;

public sealed class ObjectStreamTests(KubeApiServerFixture fixture) : IClassFixture<KubeApiServerFixture>
{
    [Fact]
    public async Task Resync_relists_the_whole_collection_page_by_page_and_then_keeps_watching()
    {
        var ns = await fixture.CreateNamespaceAsync("stream");
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("a", ns), default);
        var lists = new List<IReadOnlyList<string>>();
        var events = new List<(InformerEventType Type, string Name)>();
        var stream = new ObjectStream(client, KubeResource.ConfigMaps, ns, null,
            () => new NameList(lists),
            (type, obj) =>
            {
                lock (events)
                {
                    events.Add((type, KubeObjects.Name(obj)!));
                }
            },
            KubeTestSupport.QuietLog(),
            new InformerOptions { PageSize = 1 });
        using var stop = new CancellationTokenSource();
        var running = stream.RunAsync(stop.Token);

        await Eventually.UntilAsync(() => stream.IsCurrent, "first list");
        await client.CreateAsync(KubeResource.ConfigMaps, ns, KubeTestSupport.ConfigMap("b", ns), default);
        await Eventually.UntilAsync(() => { lock (events) { return events.Contains((InformerEventType.Added, "b")); } }, "ADDED b by watch");

        stream.Resync();
        Assert.False(stream.IsCurrent);
        await Eventually.UntilAsync(() => stream.IsCurrent, "list after resync");
        await client.MergePatchAsync(KubeResource.ConfigMaps, ns, "a", new JsonObject { ["data"] = new JsonObject { ["k"] = "2" } }, default);
        await Eventually.UntilAsync(() => { lock (events) { return events.Contains((InformerEventType.Modified, "a")); } }, "MODIFIED a after the resync");

        await stop.CancelAsync();
        await running;
        Assert.Equal(2, stream.Lists);
        lock (lists)
        {
            Assert.Equal([["a"], ["a", "b"]], lists);
        }
    }

    /// <summary>Gathers one LIST's names page by page (pages of one object here) and records it when complete.</summary>
    private sealed class NameList(List<IReadOnlyList<string>> lists) : IObjectListReceiver
    {
        private readonly List<string> _names = [];

        public void Page(IReadOnlyList<JsonObject> items) => _names.AddRange(items.Select(i => KubeObjects.Name(i)!));

        public void Complete()
        {
            lock (lists)
            {
                lists.Add(_names.Order(StringComparer.Ordinal).ToList());
            }
        }
    }
}
