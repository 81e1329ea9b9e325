using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// What kube-apiserver's apiextensions controllers do for a CRD, done synchronously on write:
/// check and default the names, accept them, mark the CRD <c>NamesAccepted</c> and
/// <c>Established</c>, and derive the served resource types.
/// </summary>
public static class CustomResourceDefinitions
{
    public static List<FieldError> ValidateAndDefault(JsonObject crd)
    {
        var errors = new List<FieldError>();
        var name = (string?)crd["metadata"]?["name"] ?? "";
        var spec = crd["spec"] as JsonObject;
        if (spec is null)
        {
            errors.Add(FieldError.Required("spec"));
            return errors;
        }
        var group = (string?)spec["group"];
        var names = spec["names"] as JsonObject;
        var plural = (string?)names?["plural"];
        var kind = (string?)names?["kind"];
        if (string.IsNullOrEmpty(group))
        {
            errors.Add(FieldError.Required("spec.group"));
        }
        if (names is null || string.IsNullOrEmpty(plural))
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }
        if (names is null || string.IsNullOrEmpty(kind))
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }
        if (group is not null && plural is not null && name != $"{plural}.{group}")
        {
            errors.Add(FieldError.Invalid("metadata.name", $"\"{name}\"", "must be spec.names.plural+\".\"+spec.group"));
        }
        var scope = (string?)spec["scope"];
        if (scope is not "Namespaced" and not "Cluster")
        {
            errors.Add(scope is null
                ? FieldError.Required("spec.scope")
                : FieldError.NotSupported("spec.scope", $"\"{scope}\"", ["\"Cluster\"", "\"Namespaced\""]));
        }
        var versions = spec["versions"] as JsonArray;
        if (versions is null || versions.Count == 0)
        {
            errors.Add(FieldError.Invalid("spec.versions", "null", "must have exactly one version marked as storage version"));
        }
        else
        {
            var storage = versions.OfType<JsonObject>().Count(v => v["storage"] is JsonValue s && s.GetValue<bool>());
            if (storage != 1)
            {
                errors.Add(FieldError.Invalid("spec.versions", "[]", "must have exactly one version marked as storage version"));
            }
            for (var i = 0; i < versions.Count; i++)
            {
                if (versions[i] is JsonObject v && v["schema"]?["openAPIV3Schema"] is null)
                {
                    errors.Add(FieldError.Required($"spec.versions[{i}].schema.openAPIV3Schema"));
                }
            }
        }
        if (errors.Count == 0 && names is not null)
        {
            names["singular"] ??= kind!.ToLowerInvariant();
            names["listKind"] ??= kind + "List";
        }
        return errors;
    }

    /// <summary>Sets the status the apiextensions controllers would reach: names accepted, established.</summary>
    public static void Establish(JsonObject crd, DateTimeOffset now)
    {
        var spec = (JsonObject)crd["spec"]!;
        var time = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var storageVersion = spec["versions"]!.AsArray().OfType<JsonObject>().First(v => v["storage"] is JsonValue s && s.GetValue<bool>())["name"]!.GetValue<string>();
        var previous = crd["status"] as JsonObject;
        var storedVersions = previous?["storedVersions"] as JsonArray ?? new JsonArray();
        if (!storedVersions.Any(v => (string?)v == storageVersion))
        {
            storedVersions.Add((JsonNode)storageVersion);
        }
        crd["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", time),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", time)),
            ["acceptedNames"] = spec["names"]!.DeepClone(),
            ["storedVersions"] = storedVersions.DeepClone(),
        };
    }

    public static List<ApiResourceType> TypesOf(JsonObject crd)
    {
        var crdName = (string)crd["metadata"]!["name"]!;
        var spec = (JsonObject)crd["spec"]!;
        var names = (JsonObject)spec["names"]!;
        var types = new List<ApiResourceType>();
        foreach (var version in spec["versions"]!.AsArray().OfType<JsonObject>())
        {
            if (version["served"] is JsonValue served && !served.GetValue<bool>())
            {
                continue;
            }
            types.Add(new ApiResourceType(
                (string)spec["group"]!,
                (string)version["name"]!,
                (string)names["kind"]!,
                (string)names["plural"]!,
                (string?)names["singular"] ?? ((string)names["kind"]!).ToLowerInvariant(),
                (string?)spec["scope"] == "Namespaced",
                Strings(names["shortNames"]),
                Strings(names["categories"]))
            {
                Schema = version["schema"]?["openAPIV3Schema"]?.DeepClone() as JsonObject,
                PrinterColumns = version["additionalPrinterColumns"]?.DeepClone() as JsonArray,
                HasStatusSubresource = version["subresources"]?["status"] is not null,
                CrdName = crdName,
            });
        }
        return types;
    }

    private static JsonObject Condition(string type, string reason, string message, string time) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = time,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(v => (string?)v).OfType<string>().ToList() : [];
}
