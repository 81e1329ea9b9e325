using System.Text.Json.Nodes;
using Kollect.Operator.Manifests;
using static Kollect.Tests.Unit.Deploy.RenderedConfig;

namespace Kollect.Tests.Unit.Deploy;

/// <summary>
/// What <c>kubectl kustomize config/default</c> renders (issue #17 §3): exactly the objects of an
/// installation in kollect-system, the CRDs of crds/ unchanged, a Deployment that meets the
/// restricted Pod Security level, and RBAC bound to the operator's ServiceAccount. That the rules
/// are the ones the operator needs is proven by tests/e2e/Deploy/RbacTests.
/// </summary>
public sealed class KustomizationTests
{
    private const string Ns = "kollect-system";
    private static readonly Lazy<IReadOnlyList<JsonObject>> Default = new(() => Render("config/default"));

    [Fact]
    public void Default_renders_exactly_one_installation_in_kollect_system()
    {
        var crds = CrdFiles().Select(f => $"CustomResourceDefinition {ReadCrd(f)["metadata"]!["name"]}");
        string[] expected =
        [
            .. crds,
            "ClusterRole kollect-collect-defaults",
            "ClusterRole kollect-collector",
            "ClusterRole kollect-manager",
            "ClusterRoleBinding kollect-collector",
            "ClusterRoleBinding kollect-manager",
            "Namespace kollect-system",
            $"{Ns}/Deployment kollect",
            $"{Ns}/Role kollect-leader-election",
            $"{Ns}/RoleBinding kollect-leader-election",
            $"{Ns}/Service kollect-metrics",
            $"{Ns}/ServiceAccount kollect",
        ];

        var rendered = Default.Value.Select(o => Namespace(o) is { } ns ? $"{ns}/{Kind(o)} {Name(o)}" : $"{Kind(o)} {Name(o)}");

        Assert.Equal(expected.Order(StringComparer.Ordinal), rendered.Order(StringComparer.Ordinal));
        Assert.All(Default.Value, o => Assert.Equal("kollect", (string?)o["metadata"]!["labels"]?["app.kubernetes.io/part-of"]));
    }

    [Fact]
    public void Crds_are_rendered_from_crds_unchanged()
    {
        foreach (var file in CrdFiles())
        {
            var source = ReadCrd(file);
            var rendered = Single(Default.Value, "CustomResourceDefinition", (string)source["metadata"]!["name"]!);
            Assert.True(JsonNode.DeepEquals(source, rendered), $"config/default renders {Path.GetFileName(file)} differently from crds/");
        }
    }

    [Fact]
    public void Crds_kustomization_lists_every_crd_file()
    {
        var listed = Strings(ManifestReader.Read([Path.Combine(Crds.CrdTestFiles.CrdDirectory, "Kustomization")]).Documents.Single().Content["resources"]);
        var files = CrdFiles().Select(Path.GetFileName).ToList();

        Assert.True(listed.Order(StringComparer.Ordinal).SequenceEqual(files.Order(StringComparer.Ordinal)),
            $"crds/Kustomization must list exactly the CRD files (kustomize has no glob); add or remove: {string.Join(", ", files.Except(listed).Concat(listed.Except(files)))}");
    }

    [Fact]
    public void Deployment_runs_one_leader_elected_replica_with_probes_and_a_64Mi_request()
    {
        var deployment = Single(Default.Value, "Deployment", "kollect");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = Assert.Single(pod["containers"]!.AsArray())!;

        Assert.Equal(1L, (long)deployment["spec"]!["replicas"]!);
        Assert.Equal("kollect", (string?)pod["serviceAccountName"]);
        Assert.Contains("--leader-elect", Strings(container["args"]));
        Assert.Contains("--leader-election-namespace=$(POD_NAMESPACE)", Strings(container["args"]));
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        var health = container["ports"]!.AsArray().Single(p => (string?)p!["name"] == "health")!;
        Assert.Equal(8081L, (long)health["containerPort"]!);
        Assert.Contains("--health-probe-bind-address=:8081", Strings(container["args"]));
        Assert.Equal("64Mi", (string?)container["resources"]!["requests"]!["memory"]);
        Assert.Equal("metadata.name", (string?)Env(container, "POD_NAME")["valueFrom"]!["fieldRef"]!["fieldPath"]);
        Assert.Equal("metadata.namespace", (string?)Env(container, "POD_NAMESPACE")["valueFrom"]!["fieldRef"]!["fieldPath"]);
    }

    [Fact]
    public void Deployment_meets_the_restricted_pod_security_level()
    {
        var pod = Single(Default.Value, "Deployment", "kollect")["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var security = container["securityContext"]!;

        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal(65532L, (long)pod["securityContext"]!["runAsUser"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
        Assert.True((bool)security["readOnlyRootFilesystem"]!);
        Assert.False((bool)security["allowPrivilegeEscalation"]!);
        Assert.Equal(["ALL"], Strings(security["capabilities"]!["drop"]));
        Assert.Equal("restricted", (string?)Single(Default.Value, "Namespace", Ns)["metadata"]!["labels"]!["pod-security.kubernetes.io/enforce"]);
    }

    [Fact]
    public void Deployment_image_is_the_one_scripts_image_sh_builds()
    {
        var version = System.Text.RegularExpressions.Regex.Match(
            File.ReadAllText(Path.Combine(Crds.CrdTestFiles.RepositoryRoot, "Directory.Build.props")), "<Version>([^<]+)</Version>").Groups[1].Value;
        var container = Single(Default.Value, "Deployment", "kollect")["spec"]!["template"]!["spec"]!["containers"]![0]!;

        Assert.Equal($"localhost/kollect:{version}", (string?)container["image"]);
    }

    [Fact]
    public void Metrics_service_selects_the_operator_pods_metrics_port()
    {
        var deployment = Single(Default.Value, "Deployment", "kollect");
        var service = Single(Default.Value, "Service", "kollect-metrics");
        var podLabels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var port = Assert.Single(service["spec"]!["ports"]!.AsArray())!;

        Assert.All(service["spec"]!["selector"]!.AsObject(), s => Assert.Equal((string?)s.Value, (string?)podLabels[s.Key]));
        Assert.Equal("metrics", (string?)port["targetPort"]);
        Assert.Contains(deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]!.AsArray(), p => (string?)p!["name"] == "metrics");
    }

    [Fact]
    public void Every_binding_grants_an_existing_role_to_the_operator_service_account_only()
    {
        foreach (var binding in Default.Value.Where(o => Kind(o) is "RoleBinding" or "ClusterRoleBinding"))
        {
            var subject = Assert.Single(binding["subjects"]!.AsArray())!;
            Assert.Equal(("ServiceAccount", "kollect", Ns), ((string?)subject["kind"], (string?)subject["name"], (string?)subject["namespace"]));
            Single(Default.Value, (string)binding["roleRef"]!["kind"]!, (string)binding["roleRef"]!["name"]!);
        }
    }

    [Fact]
    public void Rbac_is_read_only_on_secrets_create_only_on_events_and_never_a_wildcard_verb()
    {
        var rules = Default.Value.Where(o => Kind(o) is "Role" or "ClusterRole")
            .SelectMany(r => r["rules"]!.AsArray().Select(rule => (Role: Name(r), Rule: rule!)))
            .ToList();

        Assert.DoesNotContain(rules, r => Strings(r.Rule["verbs"]).Contains("*") || Strings(r.Rule["apiGroups"]).Contains("*"));
        Assert.All(rules.Where(r => Strings(r.Rule["resources"]).Contains("secrets")),
            r => Assert.Empty(Strings(r.Rule["verbs"]).Except(["get", "list", "watch"])));
        Assert.All(rules.Where(r => Strings(r.Rule["resources"]).Contains("events")), r => Assert.Equal(["create"], Strings(r.Rule["verbs"])));
        var leaderElection = Single(Default.Value, "Role", "kollect-leader-election");
        Assert.Equal(Ns, Namespace(leaderElection));
        Assert.All(leaderElection["rules"]!.AsArray(), r => Assert.Equal(["leases"], Strings(r!["resources"])));
    }

    [Fact]
    public void Collected_kinds_aggregate_from_labelled_cluster_roles()
    {
        var collector = Single(Default.Value, "ClusterRole", "kollect-collector");
        var selector = Assert.Single(collector["aggregationRule"]!["clusterRoleSelectors"]!.AsArray())!["matchLabels"]!.AsObject();
        var defaults = Single(Default.Value, "ClusterRole", "kollect-collect-defaults");

        Assert.All(selector, l => Assert.Equal((string?)l.Value, (string?)defaults["metadata"]!["labels"]![l.Key]));
        Assert.Equal(["configmaps", "deployments"], defaults["rules"]!.AsArray().SelectMany(r => Strings(r!["resources"])).Order(StringComparer.Ordinal));
        Assert.All(defaults["rules"]!.AsArray(), r => Assert.Equal(["list", "watch"], Strings(r!["verbs"])));
    }

    private static JsonObject Env(JsonNode container, string name) =>
        container["env"]!.AsArray().Single(e => (string?)e!["name"] == name)!.AsObject();

    private static IEnumerable<string> CrdFiles() =>
        Directory.GetFiles(Crds.CrdTestFiles.CrdDirectory, "*.yaml").Order(StringComparer.Ordinal);

    private static JsonObject ReadCrd(string file) => ManifestReader.Read([file]).Documents.Single().Content.AsObject();
}
