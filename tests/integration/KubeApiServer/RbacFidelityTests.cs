using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Kollect.Tests.Integration.KubeApiServer;

/// <summary>
/// ServiceAccount authentication and RBAC authorization of the test API server (issue #17 §4),
/// driven by the real kubectl 1.32 as on a cluster: config/default applies, <c>kubectl create
/// token</c> issues tokens, and what a token may do follows Roles, ClusterRoles, bindings,
/// subresources, resourceNames, namespaces and aggregation, with kube-apiserver's 401 and 403.
/// </summary>
public sealed class RbacFidelityTests : IClassFixture<RbacKubeApiServerFixture>
{
    private const string Operator = "system:serviceaccount:kollect-system:kollect";
    private readonly RbacKubeApiServerFixture _server;

    public RbacFidelityTests(RbacKubeApiServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Config_default_applies_and_applies_again_unchanged()
    {
        await InstallAsync();
        var again = await _server.KubectlOkAsync("apply", "-k", ConfigDefault);
        var lines = again.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.All(l => l.EndsWith(" unchanged", StringComparison.Ordinal)), again);

        var names = await _server.KubectlOkAsync("get", "serviceaccounts,services,deployments,roles,rolebindings", "-n", "kollect-system", "-o", "name");
        foreach (var expected in new[] { "serviceaccount/kollect", "service/kollect-metrics", "deployment.apps/kollect", "role.rbac.authorization.k8s.io/kollect-leader-election", "rolebinding.rbac.authorization.k8s.io/kollect-leader-election" })
        {
            Assert.Contains(expected, names);
        }
        var service = await _server.KubectlJsonAsync("get", "service", "kollect-metrics", "-n", "kollect-system");
        Assert.StartsWith("10.96.", (string?)service["spec"]!["clusterIP"]);
        Assert.Equal("TCP", (string?)service["spec"]!["ports"]![0]!["protocol"]);
    }

    [Fact]
    public async Task A_created_token_authenticates_as_its_service_account_and_rbac_decides_each_request()
    {
        var token = await InstallAndTokenAsync();

        var list = await _server.KubectlAsync("--token", token, "get", "configmaps", "--all-namespaces");
        Assert.True(list.ExitCode == 0, list.ToString());
        var secret = await _server.KubectlAsync("--token", token, "get", "secret", "absent", "-n", "default");
        Assert.Contains("secrets \"absent\" not found", secret.StandardError);

        var create = await _server.KubectlAsync("--token", token, "create", "configmap", "x", "-n", "default");
        Assert.NotEqual(0, create.ExitCode);
        Assert.Contains($"configmaps is forbidden: User \"{Operator}\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"", create.StandardError);
        var delete = await _server.KubectlAsync("--token", token, "delete", "secret", "any", "-n", "default");
        Assert.Contains($"secrets \"any\" is forbidden: User \"{Operator}\" cannot delete resource \"secrets\" in API group \"\" in the namespace \"default\"", delete.StandardError);
    }

    [Fact]
    public async Task A_subresource_is_authorized_apart_from_its_resource()
    {
        var token = await InstallAndTokenAsync();
        await ApplyAsync("""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectProfile
            metadata: {name: subresource-check, namespace: default}
            spec:
              targetGVK: {group: "", version: v1, kind: ConfigMap}
              attributes: [{name: data, path: "$.data", type: map}]
            """);

        // kubectl patch --subresource=status reads the subresource first (get on */status, which
        // the operator never needs), so the operator's own request is sent directly.
        using var asOperator = _server.NewHttpClient(token);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, "/apis/kollect.dev/v1alpha1/namespaces/default/kollectprofiles/subresource-check/status")
        {
            Content = new StringContent("""{"status":{"observedGeneration":1}}""", new MediaTypeHeaderValue("application/merge-patch+json")),
        };
        using var status = await asOperator.SendAsync(patch);
        Assert.True((int)status.StatusCode == 200, await status.Content.ReadAsStringAsync());
        var read = await _server.KubectlAsync("--token", token, "get", "kollectprofile", "subresource-check", "-n", "default", "--subresource=status");
        Assert.Contains($"cannot get resource \"kollectprofiles/status\" in API group \"kollect.dev\" in the namespace \"default\"", read.StandardError);
        using var mainPatch = new HttpRequestMessage(HttpMethod.Patch, "/apis/kollect.dev/v1alpha1/namespaces/default/kollectprofiles/subresource-check")
        {
            Content = new StringContent("""{"metadata":{"labels":{"x":"y"}}}""", new MediaTypeHeaderValue("application/merge-patch+json")),
        };
        using var main = await asOperator.SendAsync(mainPatch);
        var forbidden = JsonNode.Parse(await main.Content.ReadAsStringAsync())!;
        Assert.Equal(403, (int)main.StatusCode);
        Assert.Equal($"kollectprofiles.kollect.dev \"subresource-check\" is forbidden: User \"{Operator}\" cannot patch resource \"kollectprofiles\" in API group \"kollect.dev\" in the namespace \"default\"", (string?)forbidden["message"]);
    }

    [Fact]
    public async Task Resource_names_and_the_role_namespace_limit_what_a_role_grants()
    {
        var token = await InstallAndTokenAsync();

        var named = await _server.KubectlAsync("--token", token, "get", "lease", "kollect-operator", "-n", "kollect-system");
        Assert.Contains("leases.coordination.k8s.io \"kollect-operator\" not found", named.StandardError);
        var other = await _server.KubectlAsync("--token", token, "get", "lease", "other", "-n", "kollect-system");
        Assert.Contains($"leases.coordination.k8s.io \"other\" is forbidden: User \"{Operator}\" cannot get resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"kollect-system\"", other.StandardError);
        var elsewhere = await _server.KubectlAsync("--token", token, "get", "lease", "kollect-operator", "-n", "default");
        Assert.Contains("in the namespace \"default\"", elsewhere.StandardError);
        var list = await _server.KubectlAsync("--token", token, "get", "leases", "-n", "kollect-system");
        Assert.Contains($"User \"{Operator}\" cannot list resource \"leases\"", list.StandardError);
    }

    [Fact]
    public async Task A_labelled_cluster_role_grants_a_new_kind_to_the_collector()
    {
        var token = await InstallAndTokenAsync();
        var before = await _server.KubectlAsync("--token", token, "get", "services", "--all-namespaces");
        Assert.Contains($"User \"{Operator}\" cannot list resource \"services\" in API group \"\" at the cluster scope", before.StandardError);

        // The example of config/README.md ("Collecting another kind").
        await ApplyAsync("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: kollect-collect-services
              labels:
                kollect.dev/aggregate-to-collector: "true"
            rules:
              - apiGroups: [""]
                resources: [services]
                verbs: [list, watch]
            """);

        var after = await _server.KubectlAsync("--token", token, "get", "services", "--all-namespaces");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("kollect-metrics", after.StandardOutput);
    }

    [Fact]
    public async Task A_role_binding_to_a_cluster_role_grants_it_to_a_group_in_one_namespace()
    {
        await InstallAsync();
        var ns = await _server.CreateNamespaceAsync("rbac-group");
        var other = await _server.CreateNamespaceAsync("rbac-other");
        await _server.KubectlOkAsync("create", "serviceaccount", "reader", "-n", ns);
        await ApplyAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: configmap-reader}
            rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: readers, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: configmap-reader}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts:{{ns}}"}]
            """);
        var token = (await _server.KubectlOkAsync("create", "token", "reader", "-n", ns)).Trim();

        var inside = await _server.KubectlAsync("--token", token, "get", "configmaps", "-n", ns);
        Assert.True(inside.ExitCode == 0, inside.ToString());
        var outside = await _server.KubectlAsync("--token", token, "get", "configmaps", "-n", other);
        Assert.Contains($"User \"system:serviceaccount:{ns}:reader\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"{other}\"", outside.StandardError);

        var changed = await _server.KubectlWithInputAsync($$"""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: readers, namespace: {{ns}}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kollect-manager}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts:{{ns}}"}]
            """, "apply", "-f", "-");
        Assert.Contains("cannot change roleRef", changed.StandardError);
    }

    [Fact]
    public async Task Unknown_and_orphaned_tokens_are_unauthorized_and_short_durations_invalid()
    {
        await InstallAsync();
        var bogus = await _server.KubectlAsync("--token", "not-a-token", "get", "namespaces");
        Assert.Contains("You must be logged in to the server (Unauthorized)", bogus.StandardError);

        var ns = await _server.CreateNamespaceAsync("rbac-orphan");
        await _server.KubectlOkAsync("create", "serviceaccount", "short-lived", "-n", ns);
        var tooShort = await _server.KubectlAsync("create", "token", "short-lived", "-n", ns, "--duration", "5m");
        Assert.Contains("spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes", tooShort.StandardError);
        var token = (await _server.KubectlOkAsync("create", "token", "short-lived", "-n", ns, "--duration", "10m")).Trim();
        var anonymousView = await _server.KubectlAsync("--token", token, "get", "namespaces");
        Assert.Contains($"User \"system:serviceaccount:{ns}:short-lived\" cannot list resource \"namespaces\"", anonymousView.StandardError);

        await _server.KubectlOkAsync("delete", "serviceaccount", "short-lived", "-n", ns);
        var orphaned = await _server.KubectlAsync("--token", token, "get", "namespaces");
        Assert.Contains("(Unauthorized)", orphaned.StandardError);
    }

    [Fact]
    public async Task Anonymous_requests_see_version_and_health_and_get_kube_shaped_403s()
    {
        using var anonymous = _server.NewHttpClient(token: null);
        using var version = await anonymous.GetAsync("/version");
        Assert.Equal(200, (int)version.StatusCode);

        var (status, discovery) = await GetJsonAsync(anonymous, "/api");
        Assert.Equal(403, status);
        Assert.Equal("forbidden: User \"system:anonymous\" cannot get path \"/api\"", (string?)discovery["message"]);

        (status, var forbidden) = await GetJsonAsync(anonymous, "/apis/apps/v1/namespaces/default/deployments/web");
        Assert.Equal(403, status);
        Assert.Equal("Status", (string?)forbidden["kind"]);
        Assert.Equal("Failure", (string?)forbidden["status"]);
        Assert.Equal("Forbidden", (string?)forbidden["reason"]);
        Assert.Equal(403, (int?)forbidden["code"]);
        Assert.Equal("deployments.apps \"web\" is forbidden: User \"system:anonymous\" cannot get resource \"deployments\" in API group \"apps\" in the namespace \"default\"", (string?)forbidden["message"]);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["name"] = "web", ["group"] = "apps", ["kind"] = "deployments" }, forbidden["details"]), forbidden.ToJsonString());

        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        (status, var unauthorized) = await GetJsonAsync(anonymous, "/api/v1/namespaces");
        Assert.Equal(401, status);
        Assert.Equal("Unauthorized", (string?)unauthorized["reason"]);
    }

    private static string ConfigDefault => Path.Combine(KubeApiServerFixture.RepositoryRoot, "config", "default");

    private static async Task<(int Status, JsonObject Body)> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return ((int)response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Applies config/default unless an earlier test of the class (they share the server and run one by one) did.</summary>
    private async Task InstallAsync()
    {
        if ((await _server.KubectlAsync("get", "serviceaccount", "kollect", "-n", "kollect-system")).ExitCode != 0)
        {
            await _server.KubectlOkAsync("apply", "-k", ConfigDefault);
        }
    }

    private async Task ApplyAsync(string yaml)
    {
        var apply = await _server.KubectlWithInputAsync(yaml, "apply", "-f", "-");
        Assert.True(apply.ExitCode == 0, apply.ToString());
    }

    private async Task<string> InstallAndTokenAsync()
    {
        await InstallAsync();
        return (await _server.KubectlOkAsync("create", "token", "kollect", "-n", "kollect-system")).Trim();
    }
}
