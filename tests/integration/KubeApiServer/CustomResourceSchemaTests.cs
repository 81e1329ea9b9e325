using System.Text.Json.Nodes;

namespace Kollect.Tests.Integration.KubeApiServer;

/// <summary>
/// The server's run-time schema handling (defaulting, pruning, validation) for a CRD these tests
/// define, and how CRD registration shows in discovery.
/// </summary>
public sealed class CustomResourceSchemaTests : IClassFixture<KubeApiServerFixture>, IAsyncLifetime
{
    private const string Path = "/apis/schema.test/v1/namespaces/default/gadgets";
    private readonly KubeApiServerFixture _server;

    public CustomResourceSchemaTests(KubeApiServerFixture server)
    {
        _server = server;
    }

    public async Task InitializeAsync()
    {
        var (status, _) = await _server.JsonAsync(HttpMethod.Get, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.schema.test");
        if (status == 404)
        {
            var (created, body) = await _server.JsonAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", GadgetCrd());
            Assert.True(created == 201, body.ToJsonString());
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RegisteredCrdAppearsInDiscoveryAndLeavesWhenDeleted()
    {
        var (_, groups) = await _server.JsonAsync(HttpMethod.Get, "/apis");
        Assert.Contains(groups["groups"]!.AsArray(), g => (string?)g!["name"] == "schema.test");
        var (_, resources) = await _server.JsonAsync(HttpMethod.Get, "/apis/schema.test/v1");
        var gadgets = resources["resources"]!.AsArray().Single(r => (string?)r!["name"] == "gadgets")!;
        Assert.Equal("gdg", (string?)gadgets["shortNames"]![0]);
        Assert.True((bool)gadgets["namespaced"]!);
        Assert.Contains(resources["resources"]!.AsArray(), r => (string?)r!["name"] == "gadgets/status");

        var other = GadgetCrd();
        other["metadata"]!["name"] = "gizmos.schema.test";
        other["spec"]!["names"] = new JsonObject { ["kind"] = "Gizmo", ["plural"] = "gizmos" };
        Assert.Equal(201, (await _server.JsonAsync(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", other)).Status);
        var gizmo = Gadget("g1", new JsonObject { ["mode"] = "a" });
        gizmo["kind"] = "Gizmo";
        Assert.Equal(201, (await _server.JsonAsync(HttpMethod.Post, "/apis/schema.test/v1/namespaces/default/gizmos", gizmo)).Status);
        Assert.Equal(200, (await _server.JsonAsync(HttpMethod.Delete, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.schema.test")).Status);
        Assert.Equal(404, (await _server.JsonAsync(HttpMethod.Get, "/apis/schema.test/v1/namespaces/default/gizmos")).Status);
    }

    [Fact]
    public async Task DefaultsApplyAtTopLevelInsideArrayItemsAndMapValues()
    {
        var (status, body) = await _server.JsonAsync(HttpMethod.Post, Path, Gadget("defaults", new JsonObject
        {
            ["mode"] = "a",
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http" }),
            ["labels"] = new JsonObject { ["x"] = new JsonObject() },
        }));
        Assert.True(status == 201, body.ToJsonString());
        var spec = body["spec"]!;
        Assert.Equal(3, (int)spec["replicas"]!);
        Assert.Equal("TCP", (string?)spec["ports"]![0]!["protocol"]);
        Assert.Equal("none", (string?)spec["labels"]!["x"]!["value"]);
    }

    [Fact]
    public async Task UnknownFieldsArePrunedUnderWarnAndRejectedUnderStrict()
    {
        var spec = new JsonObject { ["mode"] = "a", ["bogus"] = 1, ["free"] = new JsonObject { ["anything"] = true } };
        using var warned = await _server.SendJsonAsync(HttpMethod.Post, Path + "?fieldValidation=Warn", Gadget("pruned", spec));
        Assert.Equal(201, (int)warned.StatusCode);
        Assert.Contains(warned.Headers.GetValues("Warning"), w => w.Contains("unknown field \\\"spec.bogus\\\"", StringComparison.Ordinal));
        var stored = (JsonObject)JsonNode.Parse(await warned.Content.ReadAsStringAsync())!;
        Assert.Null(stored["spec"]!["bogus"]);
        Assert.True((bool)stored["spec"]!["free"]!["anything"]!);

        var (strict, error) = await _server.JsonAsync(HttpMethod.Post, Path + "?fieldValidation=Strict", Gadget("strict", (JsonObject)spec.DeepClone()));
        Assert.Equal(400, strict);
        Assert.Contains("unknown field \"spec.bogus\"", (string?)error["message"]);
    }

    [Theory]
    [InlineData("""{"mode":"c"}""", "spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\"")]
    [InlineData("""{}""", "spec.mode: Required value")]
    [InlineData("""{"mode":"a","replicas":"three"}""", "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"")]
    [InlineData("""{"mode":"a","replicas":0}""", "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1")]
    [InlineData("""{"mode":"a","replicas":11}""", "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10")]
    [InlineData("""{"mode":"a","code":"AB"}""", "spec.code: Invalid value: \"AB\": spec.code in body should match '^[a-z]+$'")]
    [InlineData("""{"mode":"a","code":""}""", "spec.code: Invalid value: \"\": spec.code in body should be at least 1 chars long")]
    [InlineData("""{"mode":"a","tags":["x","x"]}""", "spec.tags[1]: Duplicate value: \"x\"")]
    [InlineData("""{"mode":"a","tags":["a","b","c","d"]}""", "spec.tags: Too many: 4: must have at most 3 items")]
    [InlineData("""{"mode":"a","ports":[{"name":"p"},{"name":"p"}]}""", "spec.ports[1]: Duplicate value:")]
    [InlineData("""{"mode":"a","size":true}""", "spec.size: Invalid value: \"boolean\": spec.size in body must be of type integer or string: \"boolean\"")]
    [InlineData("""{"mode":"a","interval":"soon"}""", "spec.interval: Invalid value: \"soon\": spec.interval in body must be of type duration: \"soon\"")]
    [InlineData("""{"mode":"a","owner":null}""", "spec.owner: Invalid value: \"null\": spec.owner in body must be of type string: \"null\"")]
    public async Task InvalidSpecsAreRejectedWithKubeApiServerMessages(string spec, string expected)
    {
        var (status, body) = await _server.JsonAsync(HttpMethod.Post, Path, Gadget("invalid", (JsonObject)JsonNode.Parse(spec)!));
        Assert.Equal(422, status);
        Assert.Equal("Invalid", (string?)body["reason"]);
        Assert.Contains(expected, (string?)body["message"]);
        var field = expected[..expected.IndexOf(':', StringComparison.Ordinal)];
        Assert.Contains(body["details"]!["causes"]!.AsArray(), c => (string?)c!["field"] == field);
    }

    [Fact]
    public async Task ValidValuesOfEveryCheckedKindAreAccepted()
    {
        var (status, body) = await _server.JsonAsync(HttpMethod.Post, Path, Gadget("valid", new JsonObject
        {
            ["mode"] = "b",
            ["replicas"] = 10,
            ["code"] = "abc",
            ["tags"] = new JsonArray("x", "y"),
            ["size"] = "10Gi",
            ["interval"] = "1h30m",
            ["nick"] = null,
        }));
        Assert.True(status == 201, body.ToJsonString());
        Assert.Equal(201, (await _server.JsonAsync(HttpMethod.Post, Path, Gadget("valid-int", new JsonObject { ["mode"] = "a", ["size"] = 5 }))).Status);
    }

    private static JsonObject Gadget(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "schema.test/v1",
        ["kind"] = "Gadget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    };

    private static JsonObject GadgetCrd() => (JsonObject)JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"gadgets.schema.test"},
         "spec":{"group":"schema.test","scope":"Namespaced",
           "names":{"kind":"Gadget","plural":"gadgets","shortNames":["gdg"]},
           "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
             "schema":{"openAPIV3Schema":{"type":"object","properties":{
               "spec":{"type":"object","required":["mode"],"properties":{
                 "mode":{"type":"string","enum":["a","b"]},
                 "replicas":{"type":"integer","minimum":1,"maximum":10,"default":3},
                 "code":{"type":"string","pattern":"^[a-z]+$","minLength":1},
                 "tags":{"type":"array","maxItems":3,"items":{"type":"string"},"x-kubernetes-list-type":"set"},
                 "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                   "items":{"type":"object","properties":{"name":{"type":"string"},"protocol":{"type":"string","default":"TCP"}}}},
                 "labels":{"type":"object","additionalProperties":{"type":"object","properties":{"value":{"type":"string","default":"none"}}}},
                 "size":{"x-kubernetes-int-or-string":true},
                 "interval":{"type":"string","format":"duration"},
                 "owner":{"type":"string"},
                 "nick":{"type":"string","nullable":true},
                 "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}},
               "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}}}]}}
        """)!;
}
