using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// Just enough OpenAPI v3 for kubectl 1.32: before <c>apply</c>/<c>create</c> it reads
/// <c>/openapi/v3</c> and the group-version document to check that PATCH operations accept the
/// <c>fieldValidation</c> (and <c>dryRun</c>) query parameters; without that it falls back to
/// client-side validation that needs the full <c>/openapi/v2</c> schema. Component schemas are
/// not served, so kubectl builds patches from its compiled types (built-ins) or as JSON merge
/// patches (custom resources).
/// </summary>
public static class OpenApiDocuments
{
    public static JsonObject Root(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var (group, version) in registry.All.Select(t => (t.Group, t.Version)).Distinct())
        {
            var key = GroupVersionPath(group, version);
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? GroupVersion(ResourceRegistry registry, string group, string version)
    {
        var types = registry.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var prefix = "/" + GroupVersionPath(group, version) + (type.Namespaced ? "/namespaces/{namespace}" : "");
            var gvk = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = type.Kind };
            paths[$"{prefix}/{type.Plural}"] = new JsonObject
            {
                ["post"] = Operation("create", gvk),
            };
            paths[$"{prefix}/{type.Plural}/{{name}}"] = new JsonObject
            {
                ["put"] = Operation("replace", gvk),
                ["patch"] = Operation("patch", gvk),
            };
            if (type.HasStatusSubresource)
            {
                paths[$"{prefix}/{type.Plural}/{{name}}/status"] = new JsonObject
                {
                    ["put"] = Operation("replace", gvk),
                    ["patch"] = Operation("patch", gvk),
                };
            }
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = new JsonObject() },
        };
    }

    private static string GroupVersionPath(string group, string version) =>
        group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    private static JsonObject Operation(string action, JsonObject gvk) => new()
    {
        ["x-kubernetes-action"] = action == "replace" ? "put" : action == "create" ? "post" : action,
        ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        ["parameters"] = new JsonArray(
            QueryParameter("dryRun"),
            QueryParameter("fieldManager"),
            QueryParameter("fieldValidation")),
        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
    };

    private static JsonObject QueryParameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
