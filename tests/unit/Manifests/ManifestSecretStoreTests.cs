using System.Text;
using System.Text.Json.Nodes;
using Kollect.Operator.Manifests;

namespace Kollect.Tests.Unit.Manifests;

public sealed class ManifestSecretStoreTests
{
    private static ManifestDocument Document(string json) => new("secrets.yaml", 1, 1, 1, JsonNode.Parse(json)!);

    [Fact]
    public void DataIsDecodedAndStringDataWins()
    {
        var store = new ManifestSecretStore();
        store.AddRange([Document("""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","namespace":"team-a"},
             "data":{"username":"c3Zj","password":"b2xk"},"stringData":{"password":"new"}}
            """)]);

        var data = store.Find("team-a", "creds")!;
        Assert.Equal("svc", Encoding.UTF8.GetString(data["username"]));
        Assert.Equal("new", Encoding.UTF8.GetString(data["password"]));
        Assert.Empty(store.Problems);
    }

    [Fact]
    public void SecretWithoutNamespaceIsInDefaultAndOtherKindsAreIgnored()
    {
        var store = new ManifestSecretStore();
        store.AddRange([
            Document("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"},"stringData":{"token":"t"}}"""),
            Document("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"default"},"data":{"k":"v"}}"""),
        ]);

        Assert.NotNull(store.Find("default", "a"));
        Assert.Null(store.Find("default", "b"));
        Assert.Null(store.Find("team-a", "a"));
    }

    [Fact]
    public void BadBase64IsReportedWithoutTheValue()
    {
        var store = new ManifestSecretStore();
        store.AddRange([Document("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"c","namespace":"ns"},"data":{"password":"canary*pw"}}""")]);

        var problem = Assert.Single(store.Problems);
        Assert.Contains("data.password: is not valid base64", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("canary", problem, StringComparison.Ordinal);
    }
}
