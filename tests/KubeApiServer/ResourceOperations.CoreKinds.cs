using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// What kube-apiserver's strategies do for the kinds of <c>config/</c> beyond storing them:
/// Services get their defaults and a cluster IP (kept across updates); RBAC roles and bindings are
/// validated, and a binding's roleRef cannot change.
/// </summary>
public sealed partial class ResourceOperations
{
    private int _lastServiceIp;

    private void PrepareCoreKind(ApiResourceType type, JsonObject obj, bool isCreate)
    {
        switch (type.Group, type.Plural)
        {
            case ("", "services"):
                DefaultService(obj, isCreate);
                break;
            case ("rbac.authorization.k8s.io", "roles" or "clusterroles"):
                ThrowIfInvalid(type, obj, ValidateRules(obj["rules"]));
                break;
            case ("rbac.authorization.k8s.io", "rolebindings" or "clusterrolebindings"):
                ThrowIfInvalid(type, obj, ValidateBinding(type, obj));
                break;
        }
    }

    /// <summary>Update checks that need the stored object: immutable fields and allocated values.</summary>
    private static void CarryCoreKindUpdate(ApiResourceType type, JsonObject existing, JsonObject next)
    {
        switch (type.Group, type.Plural)
        {
            case ("", "services"):
                var spec = next["spec"] as JsonObject ?? new JsonObject();
                next["spec"] = spec;
                foreach (var allocated in new[] { "clusterIP", "clusterIPs" })
                {
                    if (spec[allocated] is null && existing["spec"]?[allocated] is { } value)
                    {
                        spec[allocated] = value.DeepClone();
                    }
                }
                if (!JsonNode.DeepEquals(spec["clusterIP"], existing["spec"]?["clusterIP"]))
                {
                    ThrowIfInvalid(type, next, [FieldError.Invalid("spec.clusterIP", $"\"{(string?)spec["clusterIP"]}\"", "field is immutable")]);
                }
                break;
            case ("rbac.authorization.k8s.io", "rolebindings" or "clusterrolebindings"):
                if (!JsonNode.DeepEquals(next["roleRef"], existing["roleRef"]))
                {
                    ThrowIfInvalid(type, next, [FieldError.Invalid("roleRef", KubeJson.Serialize(next["roleRef"] ?? new JsonObject()), "cannot change roleRef")]);
                }
                break;
        }
    }

    private void DefaultService(JsonObject obj, bool isCreate)
    {
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        obj["spec"] = spec;
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        if (isCreate && (string?)spec["type"] != "ExternalName" && spec["clusterIP"] is null)
        {
            var n = Interlocked.Increment(ref _lastServiceIp);
            var ip = $"10.96.{n / 250}.{n % 250 + 1}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
        if ((string?)spec["type"] != "ExternalName")
        {
            spec["ipFamilies"] ??= new JsonArray("IPv4");
            spec["ipFamilyPolicy"] ??= "SingleStack";
            spec["internalTrafficPolicy"] ??= "Cluster";
        }
        if (spec["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
                port["targetPort"] ??= port["port"]?.DeepClone();
            }
        }
        if (isCreate)
        {
            obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }

    private static List<FieldError> ValidateRules(JsonNode? rules)
    {
        var errors = new List<FieldError>();
        if (rules is not JsonArray list)
        {
            return errors;
        }
        for (var i = 0; i < list.Count; i++)
        {
            var rule = list[i] as JsonObject ?? new JsonObject();
            if (rule["verbs"] is not JsonArray { Count: > 0 })
            {
                errors.Add(new FieldError($"rules[{i}].verbs", "FieldValueRequired", "Required value: verbs must contain at least one value"));
            }
            var nonResource = rule["nonResourceURLs"] is JsonArray { Count: > 0 };
            if (!nonResource && rule["apiGroups"] is not JsonArray { Count: > 0 })
            {
                errors.Add(new FieldError($"rules[{i}].apiGroups", "FieldValueRequired", "Required value: resource rules must supply at least one api group"));
            }
            if (!nonResource && rule["resources"] is not JsonArray { Count: > 0 })
            {
                errors.Add(new FieldError($"rules[{i}].resources", "FieldValueRequired", "Required value: resource rules must supply at least one resource"));
            }
        }
        return errors;
    }

    private static List<FieldError> ValidateBinding(ApiResourceType type, JsonObject obj)
    {
        var errors = new List<FieldError>();
        var allowedKinds = type.Plural == "rolebindings" ? new[] { "Role", "ClusterRole" } : ["ClusterRole"];
        var roleKind = (string?)obj["roleRef"]?["kind"];
        if (string.IsNullOrEmpty((string?)obj["roleRef"]?["name"]))
        {
            errors.Add(FieldError.Required("roleRef.name"));
        }
        if (roleKind is null || !allowedKinds.Contains(roleKind))
        {
            errors.Add(FieldError.NotSupported("roleRef.kind", $"\"{roleKind}\"", allowedKinds.Select(k => $"\"{k}\"")));
        }
        if ((string?)obj["roleRef"]?["apiGroup"] != "rbac.authorization.k8s.io")
        {
            errors.Add(FieldError.NotSupported("roleRef.apiGroup", $"\"{(string?)obj["roleRef"]?["apiGroup"]}\"", ["\"rbac.authorization.k8s.io\""]));
        }
        if (obj["subjects"] is JsonArray subjects)
        {
            for (var i = 0; i < subjects.Count; i++)
            {
                var subject = subjects[i] as JsonObject ?? new JsonObject();
                var kind = (string?)subject["kind"];
                if (kind is not ("User" or "Group" or "ServiceAccount"))
                {
                    errors.Add(FieldError.NotSupported($"subjects[{i}].kind", $"\"{kind}\"", ["\"ServiceAccount\"", "\"User\"", "\"Group\""]));
                }
                if (string.IsNullOrEmpty((string?)subject["name"]))
                {
                    errors.Add(FieldError.Required($"subjects[{i}].name"));
                }
                if (kind == "ServiceAccount" && string.IsNullOrEmpty((string?)subject["namespace"]) && type.Plural == "clusterrolebindings")
                {
                    errors.Add(FieldError.Required($"subjects[{i}].namespace"));
                }
            }
        }
        return errors;
    }

    private static void ThrowIfInvalid(ApiResourceType type, JsonObject obj, List<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw ApiError.Invalid(type, (string?)obj["metadata"]?["name"] ?? "", errors);
        }
    }
}
