using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Controllers;
using Kollect.Operator.Kube;
using Kollect.Tests.Integration.KubeApiServer;

namespace Kollect.Tests.Integration.Kube;

/// <summary>
/// Two <c>kollect run --leader-elect</c> processes against the test API server: one leads and
/// acknowledges Kollect objects, the other stands by; SIGTERM on the leader releases the lease and
/// the standby takes over.
/// </summary>
public sealed class OperatorProcessTests(KubeApiServerFixture fixture) : IClassFixture<KubeApiServerFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private OperatorProcess Start(string leaseNamespace) => new(
        "--kubeconfig", fixture.KubeconfigPath,
        "--leader-elect",
        "--leader-election-namespace", leaseNamespace,
        "--lease-duration", "3s", "--renew-deadline", "2s", "--retry-period", "200ms",
        "--health-probe-bind-address", "127.0.0.1:0",
        "--metrics-bind-address", "127.0.0.1:0");

    private static async Task<string?> GetAsync(OperatorProcess process, string server, string path)
    {
        if (process.Url(server) is not { } baseUrl)
        {
            return null;
        }
        try
        {
            using var response = await Http.GetAsync(baseUrl + path);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<bool> IsLeaderAsync(OperatorProcess process) =>
        (await GetAsync(process, "metrics", "/metrics"))?.Contains("\nkollect_leader 1\n", StringComparison.Ordinal) == true;

    [Fact]
    public async Task One_leader_acknowledges_objects_and_sigterm_hands_the_lease_to_the_standby()
    {
        await fixture.EnsureProjectCrdsAsync();
        var leaseNamespace = await fixture.CreateNamespaceAsync("lease");
        const string ns = "default"; // the upstream sample names its namespace
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var profiles = await client.Discovery.ResolveAsync(new GroupVersionKind(KollectProfile.Group, KollectProfile.Version, KollectProfile.KindName), default);
        await fixture.KubectlOkAsync("apply", "-f", Path.Combine(KubeApiServerFixture.SampleDirectory, "kollect_v1alpha1_kollectprofile.yaml"));
        var name = KubeObjects.Name((await client.ListAllAsync(profiles, ns, null, default)).Items.Single())!;

        using var first = Start(leaseNamespace);
        using var second = Start(leaseNamespace);
        await Eventually.UntilAsync(async () => await IsLeaderAsync(first) || await IsLeaderAsync(second), "a leader");
        var (leader, standby) = await IsLeaderAsync(first) ? (first, second) : (second, first);
        Assert.False(await IsLeaderAsync(standby));

        await Eventually.UntilAsync(async () =>
        {
            var profile = await client.GetAsync(profiles, ns, name, default);
            var condition = profile["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == "Ready");
            return (string?)condition?["reason"] == "Valid" && (long?)profile["status"]?["observedGeneration"] == KubeObjects.Generation(profile);
        }, "the leader to acknowledge the profile's status");
        // Readiness follows once every informer has listed, which the profile's status does not imply.
        await Eventually.UntilAsync(async () => await GetAsync(leader, "health", "/readyz") == "ok\n", "the leader to be ready");
        // A standby is ready once its host has started (its probe servers answer earlier, not ready).
        await Eventually.UntilAsync(async () => await GetAsync(standby, "health", "/readyz") == "ok\n", "the standby to be ready");
        Assert.Equal("ok\n", await GetAsync(standby, "health", "/healthz"));

        // The status write comes back as a watch event; the reconciler must not write again.
        var settled = KubeObjects.ResourceVersion(await client.GetAsync(profiles, ns, name, default));
        await Task.Delay(1000);
        Assert.Equal(settled, KubeObjects.ResourceVersion(await client.GetAsync(profiles, ns, name, default)));

        leader.Signal("TERM");
        await leader.WaitForExitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, leader.ExitCode);
        Assert.True(leader.Logged("released the leader lease"), "the leader logs that it released the lease");
        await Eventually.UntilAsync(() => IsLeaderAsync(standby), "the standby to take over");
        // The new leader reconciles the already acknowledged profile once, successfully, without writing.
        await Eventually.UntilAsync(async () =>
            (await GetAsync(standby, "metrics", "/metrics"))?.Contains("kollect_reconcile_total{controller=\"kollectprofiles\",result=\"success\"}", StringComparison.Ordinal) == true,
            "the new leader's first reconcile");
        Assert.Equal(settled, KubeObjects.ResourceVersion(await client.GetAsync(profiles, ns, name, default)));
    }

    [Fact]
    public async Task Refused_requests_name_the_missing_rbac_rule_and_the_operator_retries_until_allowed()
    {
        await fixture.EnsureProjectCrdsAsync();
        const string ns = "default";
        using var client = new KubeClient(KubeTestSupport.Config(fixture));
        var profiles = await client.Discovery.ResolveAsync(new GroupVersionKind(KollectProfile.Group, KollectProfile.Version, KollectProfile.KindName), default);
        await fixture.KubectlOkAsync("apply", "-f", Path.Combine(KubeApiServerFixture.SampleDirectory, "kollect_v1alpha1_kollectprofile.yaml"));
        var name = KubeObjects.Name((await client.ListAllAsync(profiles, ns, null, default)).Items.Single())!;
        await client.MergePatchStatusAsync(profiles, ns, name, new JsonObject { ["status"] = null }, default);
        fixture.Server.Faults.AddFailure(3, 403, "/apis/kollect.dev/v1alpha1/kollectprofiles", "list",
            "kollectprofiles.kollect.dev is forbidden: User \"system:serviceaccount:kollect-system:kollect\" cannot list resource \"kollectprofiles\" in API group \"kollect.dev\" at the cluster scope");
        fixture.Server.Faults.AddFailure(2, 401, "/api/v1/namespaces", "list", null);

        using var process = new OperatorProcess("--kubeconfig", fixture.KubeconfigPath, "--health-probe-bind-address", "0", "--metrics-bind-address", "0");
        await Eventually.UntilAsync(async () =>
        {
            Assert.False(process.HasExited, process.Output);
            var profile = await client.GetAsync(profiles, ns, name, default);
            return profile["status"]?["conditions"]?.AsArray().Any(c => (string?)c?["type"] == "Ready") == true;
        }, "the operator to acknowledge the profile once the refusals stop", timeout: TimeSpan.FromSeconds(60));
        Assert.False(process.HasExited);
        Assert.True(process.LogContains("needs RBAC permission to list kollectprofiles (apiGroup \"kollect.dev\") cluster-wide"), process.Output);
        Assert.True(process.LogContains("did not accept the credentials (needed to list namespaces (apiGroup \"\") cluster-wide)"), process.Output);
    }
}
