using System.Text.Json.Nodes;

namespace Kollect.Tests.Integration.KubeApiServer;

/// <summary>
/// API semantics the operator's own client relies on, checked over plain HTTP: pagination,
/// optimistic concurrency, watch resume/expiry/bookmarks, selectors, Status errors and faults.
/// </summary>
public sealed class HttpSemanticsTests : IClassFixture<KubeApiServerFixture>
{
    private readonly KubeApiServerFixture _server;

    public HttpSemanticsTests(KubeApiServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task ListPagesWithLimitAndContinueUntilEveryObjectIsSeenOnce()
    {
        var ns = await _server.CreateNamespaceAsync("pages");
        for (var i = 0; i < 5; i++)
        {
            await CreateConfigMapAsync(ns, $"cm-{i}", null);
        }
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (status, list) = await _server.JsonAsync(HttpMethod.Get,
                $"/api/v1/namespaces/{ns}/configmaps?limit=2" + (token is null ? "" : $"&continue={Uri.EscapeDataString(token)}"));
            Assert.Equal(200, status);
            Assert.Equal("ConfigMapList", (string?)list["kind"]);
            var items = list["items"]!.AsArray();
            Assert.True(items.Count <= 2);
            seen.AddRange(items.Select(i => (string)i!["metadata"]!["name"]!));
            token = (string?)list["metadata"]!["continue"];
            pages++;
        }
        while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(["cm-0", "cm-1", "cm-2", "cm-3", "cm-4"], seen);
    }

    [Fact]
    public async Task UpdateWithAStaleResourceVersionIsAConflictStatus()
    {
        var ns = await _server.CreateNamespaceAsync("conflict");
        var created = await CreateConfigMapAsync(ns, "cm", null);
        var stale = (JsonObject)created.DeepClone();
        created["data"] = new JsonObject { ["k"] = "v1" };
        var (ok, _) = await _server.JsonAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/cm", created);
        Assert.Equal(200, ok);

        stale["data"] = new JsonObject { ["k"] = "v2" };
        var (status, body) = await _server.JsonAsync(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/cm", stale);
        Assert.Equal(409, status);
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("Conflict", (string?)body["reason"]);
        Assert.Contains("the object has been modified", (string?)body["message"]);
    }

    [Fact]
    public async Task ErrorsAreStatusObjectsWithReasonsAndFieldCauses()
    {
        var ns = await _server.CreateNamespaceAsync("errors");
        var (missing, notFound) = await _server.JsonAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/nope");
        Assert.Equal(404, missing);
        Assert.Equal("NotFound", (string?)notFound["reason"]);
        Assert.Equal("configmaps \"nope\" not found", (string?)notFound["message"]);

        await CreateConfigMapAsync(ns, "twice", null);
        var (again, exists) = await _server.JsonAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps",
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = "twice" } });
        Assert.Equal(409, again);
        Assert.Equal("AlreadyExists", (string?)exists["reason"]);

        var (noNamespace, _) = await _server.JsonAsync(HttpMethod.Post, "/api/v1/namespaces/does-not-exist/configmaps",
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } });
        Assert.Equal(404, noNamespace);

        var (invalid, invalidBody) = await _server.JsonAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps",
            new JsonObject { ["metadata"] = new JsonObject { ["name"] = "Not_A_Name" } });
        Assert.Equal(422, invalid);
        Assert.Equal("Invalid", (string?)invalidBody["reason"]);
        Assert.Equal("metadata.name", (string?)invalidBody["details"]!["causes"]![0]!["field"]);

        var generated = await _server.JsonAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps",
            new JsonObject { ["metadata"] = new JsonObject { ["generateName"] = "gen-" } });
        Assert.Equal(201, generated.Status);
        Assert.StartsWith("gen-", (string)generated.Body["metadata"]!["name"]!);
        Assert.Equal(9, ((string)generated.Body["metadata"]!["name"]!).Length);
    }

    [Fact]
    public async Task LabelSelectorsSupportEveryOperator()
    {
        var ns = await _server.CreateNamespaceAsync("labels");
        await CreateConfigMapAsync(ns, "a", new JsonObject { ["app"] = "a" });
        await CreateConfigMapAsync(ns, "b", new JsonObject { ["app"] = "b" });
        await CreateConfigMapAsync(ns, "none", null);

        async Task<string> Names(string selector)
        {
            var (_, list) = await _server.JsonAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?labelSelector={Uri.EscapeDataString(selector)}");
            return string.Join(",", list["items"]!.AsArray().Select(i => (string)i!["metadata"]!["name"]!));
        }

        Assert.Equal("a", await Names("app=a"));
        Assert.Equal("a", await Names("app==a"));
        Assert.Equal("b,none", await Names("app!=a"));
        Assert.Equal("a,b", await Names("app in (a,b)"));
        Assert.Equal("b,none", await Names("app notin (a)"));
        Assert.Equal("a,b", await Names("app"));
        Assert.Equal("none", await Names("!app"));
        Assert.Equal("", await Names("app=a,app=b"));
    }

    [Fact]
    public async Task WatchResumesFromAResourceVersionAndSelectorWatchSeesObjectsLeave()
    {
        var ns = await _server.CreateNamespaceAsync("resume");
        var created = await CreateConfigMapAsync(ns, "cm", new JsonObject { ["app"] = "x" });
        var from = (string)created["metadata"]!["resourceVersion"]!;
        var update1 = await PatchAsync(ns, "cm", """{"data":{"k":"1"}}""");
        var update2 = await PatchAsync(ns, "cm", """{"metadata":{"labels":{"app":"y"}}}""");

        await using (var watch = await WatchStream.OpenAsync(_server.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={from}"))
        {
            var first = await watch.NextChangeAsync();
            Assert.Equal("MODIFIED", (string?)first!["type"]);
            Assert.Equal(update1, (string?)first["object"]!["metadata"]!["resourceVersion"]);
            var second = await watch.NextChangeAsync();
            Assert.Equal(update2, (string?)second!["object"]!["metadata"]!["resourceVersion"]);
        }

        await using (var selected = await WatchStream.OpenAsync(_server.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={from}&labelSelector=app%3Dx"))
        {
            var modified = await selected.NextChangeAsync();
            Assert.Equal("MODIFIED", (string?)modified!["type"]);
            var left = await selected.NextChangeAsync();
            Assert.Equal("DELETED", (string?)left!["type"]);
            Assert.Equal("y", (string?)left["object"]!["metadata"]!["labels"]!["app"]);
        }
    }

    [Fact]
    public async Task WatchFromACompactedResourceVersionGetsExpiredErrorEvent()
    {
        var ns = await _server.CreateNamespaceAsync("expired");
        var created = await CreateConfigMapAsync(ns, "cm", null);
        var old = (string)created["metadata"]!["resourceVersion"]!;
        await PatchAsync(ns, "cm", """{"data":{"k":"1"}}""");
        var (status, _) = await _server.JsonAsync(HttpMethod.Post, "/_kollect-test/faults", new JsonObject { ["compact"] = true });
        Assert.Equal(200, status);

        await using var watch = await WatchStream.OpenAsync(_server.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={old}");
        Assert.Equal(200, watch.StatusCode);
        var error = await watch.NextAsync();
        Assert.Equal("ERROR", (string?)error!["type"]);
        Assert.Equal(410, (int)error["object"]!["code"]!);
        Assert.Equal("Expired", (string?)error["object"]!["reason"]);
        Assert.Null(await watch.NextAsync());

        await using var selected = await WatchStream.OpenAsync(_server.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={old}&labelSelector=app%3Dx");
        Assert.Equal(410, (int)(await selected.NextAsync())!["object"]!["code"]!);

        var (listStatus, list) = await _server.JsonAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps");
        Assert.Equal(200, listStatus);
        await using var fresh = await WatchStream.OpenAsync(_server.Http,
            $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={(string)list["metadata"]!["resourceVersion"]!}");
        await PatchAsync(ns, "cm", """{"data":{"k":"2"}}""");
        Assert.Equal("MODIFIED", (string?)(await fresh.NextChangeAsync())!["type"]);
    }

    [Fact]
    public async Task WatchOlderThanTheHistoryWindowExpiresWhileRecentOnesResume()
    {
        await using var small = await Kollect.Testing.KubeApiServer.KubeApiServerHost.StartAsync(
            new Kollect.Testing.KubeApiServer.KubeApiServerOptions { HistoryWindow = 3 });
        using var http = new HttpClient { BaseAddress = new Uri(small.BaseUrl) };
        var versions = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var created = await http.PostAsync("/api/v1/namespaces/default/configmaps",
                new StringContent(new JsonObject { ["metadata"] = new JsonObject { ["name"] = $"cm-{i}" } }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(201, (int)created.StatusCode);
            versions.Add((string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!);
        }

        await using (var tooOld = await WatchStream.OpenAsync(http, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={versions[0]}"))
        {
            var error = await tooOld.NextAsync();
            Assert.Equal("ERROR", (string?)error!["type"]);
            Assert.Equal("Expired", (string?)error["object"]!["reason"]);
        }

        await using var recent = await WatchStream.OpenAsync(http, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={versions[3]}");
        Assert.Equal("cm-4", (string?)(await recent.NextChangeAsync())!["object"]!["metadata"]!["name"]);
        Assert.Equal("cm-5", (string?)(await recent.NextChangeAsync())!["object"]!["metadata"]!["name"]);
    }

    [Fact]
    public async Task WatchWithBookmarksReceivesBookmarkAtTheCurrentResourceVersion()
    {
        var ns = await _server.CreateNamespaceAsync("bookmarks");
        await using var watch = await WatchStream.OpenAsync(_server.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&allowWatchBookmarks=true");
        var created = await CreateConfigMapAsync(ns, "cm", null);
        Assert.Equal("ADDED", (string?)(await watch.NextChangeAsync())!["type"]);
        JsonObject? bookmark;
        do
        {
            bookmark = await watch.NextAsync();
        }
        while (bookmark is not null && long.Parse((string)bookmark["object"]!["metadata"]!["resourceVersion"]!) < long.Parse((string)created["metadata"]!["resourceVersion"]!));
        Assert.Equal("BOOKMARK", (string?)bookmark!["type"]);
        Assert.Equal("ConfigMap", (string?)bookmark["object"]!["kind"]);
    }

    [Fact]
    public async Task WatchEndsAtTimeoutSeconds()
    {
        var ns = await _server.CreateNamespaceAsync("timeout");
        await using var watch = await WatchStream.OpenAsync(_server.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=1");
        Assert.Null(await watch.NextAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task InjectedFailuresAnswerTheNextRequestsThenStop()
    {
        var ns = await _server.CreateNamespaceAsync("faults");
        var path = $"/api/v1/namespaces/{ns}/configmaps";
        var (status, _) = await _server.JsonAsync(HttpMethod.Post, "/_kollect-test/faults",
            new JsonObject { ["fail"] = new JsonObject { ["count"] = 2, ["status"] = 500, ["pathPrefix"] = path, ["verb"] = "list" } });
        Assert.Equal(200, status);

        var (first, firstBody) = await _server.JsonAsync(HttpMethod.Get, path);
        Assert.Equal(500, first);
        Assert.Equal("InternalError", (string?)firstBody["reason"]);
        Assert.Equal(500, (await _server.JsonAsync(HttpMethod.Get, path)).Status);
        Assert.Equal(200, (await _server.JsonAsync(HttpMethod.Get, path)).Status);

        await _server.JsonAsync(HttpMethod.Post, "/_kollect-test/faults",
            new JsonObject { ["fail"] = new JsonObject { ["count"] = 1, ["status"] = 429, ["pathPrefix"] = path } });
        using var throttled = await _server.SendJsonAsync(HttpMethod.Get, path, null);
        Assert.Equal(429, (int)throttled.StatusCode);
        Assert.True(throttled.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task DroppingWatchesEndsOpenWatchStreams()
    {
        var ns = await _server.CreateNamespaceAsync("drop");
        await using var watch = await WatchStream.OpenAsync(_server.Http, $"/api/v1/namespaces/{ns}/configmaps?watch=true");
        await CreateConfigMapAsync(ns, "cm", null);
        Assert.Equal("ADDED", (string?)(await watch.NextChangeAsync())!["type"]);

        var (status, result) = await _server.JsonAsync(HttpMethod.Post, "/_kollect-test/faults", new JsonObject { ["dropWatches"] = true });
        Assert.Equal(200, status);
        Assert.True((int)result["droppedWatches"]! >= 1);
        Assert.Null(await watch.NextChangeAsync());
    }

    private async Task<JsonObject> CreateConfigMapAsync(string ns, string name, JsonObject? labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            metadata["labels"] = labels;
        }
        var (status, body) = await _server.JsonAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", new JsonObject { ["metadata"] = metadata });
        Assert.True(status == 201, body.ToJsonString());
        return body;
    }

    private async Task<string> PatchAsync(string ns, string name, string mergePatch)
    {
        var (status, body) = await _server.JsonAsync(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/{name}",
            JsonNode.Parse(mergePatch), "application/merge-patch+json");
        Assert.True(status == 200, body.ToJsonString());
        return (string)body["metadata"]!["resourceVersion"]!;
    }
}
