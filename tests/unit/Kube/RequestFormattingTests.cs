using Kollect.Operator.Kube;

namespace Kollect.Tests.Unit.Kube;

public sealed class RequestFormattingTests
{
    [Fact]
    public void Label_selector_sorts_match_labels_and_formats_expressions()
    {
        var selector = LabelSelectorFormatter.Format(
            new Dictionary<string, string> { ["tier"] = "web", ["app"] = "shop" },
            [("env", "In", ["prod", "dev"]), ("team", "NotIn", ["x"]), ("managed", "Exists", []), ("legacy", "DoesNotExist", [])]);
        Assert.Equal("app=shop,tier=web,env in (dev,prod),team notin (x),managed,!legacy", selector);
    }

    [Fact]
    public void Label_selector_rejects_unknown_operator_and_empty_in()
    {
        Assert.Throws<ArgumentException>(() => LabelSelectorFormatter.Format(null, [("a", "Gt", ["1"])]));
        Assert.Throws<ArgumentException>(() => LabelSelectorFormatter.Format(null, [("a", "In", [])]));
    }

    [Fact]
    public void List_query_escapes_values()
    {
        var query = new ListOptions { LabelSelector = "env in (a,b)", FieldSelector = "metadata.name=x", Limit = 50, Continue = "abc=" }.ToQuery(("watch", "true"));
        Assert.Equal("?labelSelector=env%20in%20%28a%2Cb%29&fieldSelector=metadata.name%3Dx&limit=50&continue=abc%3D&watch=true", query);
        Assert.Equal("", new ListOptions().ToQuery());
    }

    [Fact]
    public void Paths_for_core_grouped_namespaced_and_cluster_scoped_resources()
    {
        Assert.Equal("/api/v1/namespaces/a/configmaps/b", KubeResource.ConfigMaps.ItemPath("a", "b"));
        Assert.Equal("/api/v1/configmaps", KubeResource.ConfigMaps.CollectionPath(null));
        Assert.Equal("/apis/coordination.k8s.io/v1/namespaces/x/leases", KubeResource.Leases.CollectionPath("x"));
        var cluster = new KubeResource("kollect.dev", "v1alpha1", "kollectclustertargets", "KollectClusterTarget", false);
        Assert.Equal("/apis/kollect.dev/v1alpha1/kollectclustertargets/t", cluster.ItemPath("ignored", "t"));
        Assert.Throws<ArgumentException>(() => KubeResource.ConfigMaps.ItemPath(null, "b"));
    }

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/team-a/secrets/db", "get secrets (apiGroup \"\") in namespace team-a")]
    [InlineData("GET", "/api/v1/secrets?limit=1", "list secrets (apiGroup \"\") cluster-wide")]
    [InlineData("WATCH", "/apis/kollect.dev/v1alpha1/kollectprofiles", "watch kollectprofiles (apiGroup \"kollect.dev\") cluster-wide")]
    [InlineData("GET", "/api/v1/namespaces?watch=true&resourceVersion=5", "watch namespaces (apiGroup \"\") cluster-wide")]
    [InlineData("PATCH", "/apis/kollect.dev/v1alpha1/namespaces/x/kollectinventories/i/status", "patch kollectinventories/status (apiGroup \"kollect.dev\") in namespace x")]
    [InlineData("PUT", "/apis/coordination.k8s.io/v1/namespaces/kollect-system/leases/kollect-operator", "update leases (apiGroup \"coordination.k8s.io\") in namespace kollect-system")]
    [InlineData("POST", "/apis/events.k8s.io/v1/namespaces/a/events", "create events (apiGroup \"events.k8s.io\") in namespace a")]
    [InlineData("GET", "/api/v1/namespaces/kube-system", "get namespaces (apiGroup \"\") cluster-wide")]
    public void Request_paths_read_back_as_the_rbac_rule_they_need(string method, string path, string expected) =>
        Assert.Equal(expected, KubeRequestTarget.Parse(method, path).Describe());
}
