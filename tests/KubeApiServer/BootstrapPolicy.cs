using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// The part of kube-apiserver's bootstrap RBAC policy that clients rely on, created when RBAC is
/// on: <c>cluster-admin</c> (bound to system:masters), <c>system:discovery</c> (discovery, OpenAPI,
/// version and health for every authenticated user) and <c>system:public-info-viewer</c> (version
/// and health for everyone).
/// </summary>
public static class BootstrapPolicy
{
    private const string Group = "rbac.authorization.k8s.io";

    public static void Create(ResourceOperations operations, ResourceRegistry registry)
    {
        var roles = registry.Find(Group, "v1", "clusterroles")!;
        var bindings = registry.Find(Group, "v1", "clusterrolebindings")!;
        string[] health = ["/healthz", "/livez", "/readyz", "/version", "/version/"];
        operations.Create(roles, null, Role("cluster-admin",
            new JsonObject { ["apiGroups"] = Strings("*"), ["resources"] = Strings("*"), ["verbs"] = Strings("*") },
            new JsonObject { ["nonResourceURLs"] = Strings("*"), ["verbs"] = Strings("*") }), ResourceOperations.FieldValidation.Strict, dryRun: false);
        operations.Create(roles, null, Role("system:discovery",
            new JsonObject { ["nonResourceURLs"] = Strings(["/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*", .. health]), ["verbs"] = Strings("get") }),
            ResourceOperations.FieldValidation.Strict, dryRun: false);
        operations.Create(roles, null, Role("system:public-info-viewer",
            new JsonObject { ["nonResourceURLs"] = Strings(health), ["verbs"] = Strings("get") }), ResourceOperations.FieldValidation.Strict, dryRun: false);
        operations.Create(bindings, null, Binding("cluster-admin", "system:masters"), ResourceOperations.FieldValidation.Strict, dryRun: false);
        operations.Create(bindings, null, Binding("system:discovery", "system:authenticated"), ResourceOperations.FieldValidation.Strict, dryRun: false);
        operations.Create(bindings, null, Binding("system:public-info-viewer", "system:authenticated", "system:unauthenticated"), ResourceOperations.FieldValidation.Strict, dryRun: false);
    }

    private static JsonObject Role(string name, params JsonObject[] rules) => new()
    {
        ["apiVersion"] = $"{Group}/v1",
        ["kind"] = "ClusterRole",
        ["metadata"] = Metadata(name),
        ["rules"] = new JsonArray(rules.Cast<JsonNode?>().ToArray()),
    };

    private static JsonObject Binding(string name, params string[] groups) => new()
    {
        ["apiVersion"] = $"{Group}/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name),
        ["roleRef"] = new JsonObject { ["apiGroup"] = Group, ["kind"] = "ClusterRole", ["name"] = name },
        ["subjects"] = new JsonArray(groups.Select(g => (JsonNode?)new JsonObject { ["apiGroup"] = Group, ["kind"] = "Group", ["name"] = g }).ToArray()),
    };

    private static JsonObject Metadata(string name) => new()
    {
        ["name"] = name,
        ["labels"] = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" },
        ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
    };

    private static JsonArray Strings(params string[] values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
