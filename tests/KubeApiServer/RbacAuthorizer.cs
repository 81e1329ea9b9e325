using System.Text.Json.Nodes;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// RBAC authorization over the stored rbac.authorization.k8s.io/v1 objects, evaluated on every
/// request as kube-apiserver's RBAC authorizer does: ClusterRoleBindings grant their ClusterRole
/// everywhere, RoleBindings grant a Role (or a ClusterRole) in their namespace only; subjects are
/// users, groups and ServiceAccounts; rules match verbs, API groups, resources (<c>*</c>,
/// <c>plural/subresource</c>, <c>*/subresource</c>), resourceNames and nonResourceURLs (with a
/// trailing <c>*</c>). system:masters is always allowed. An aggregated ClusterRole
/// (<c>aggregationRule</c>) holds the rules of every ClusterRole its selectors match, computed
/// here at evaluation time instead of being written back by a controller.
/// </summary>
public sealed class RbacAuthorizer(ObjectStore store)
{
    private const string Group = "rbac.authorization.k8s.io";
    private readonly List<RequestAttributes> _denied = [];

    /// <summary>Every request refused so far, oldest first (tests name the missing rule with it).</summary>
    public IReadOnlyList<RequestAttributes> Denied
    {
        get
        {
            lock (_denied)
            {
                return [.. _denied];
            }
        }
    }

    public bool Allows(RequestAttributes request)
    {
        if (request.User.Groups.Contains(UserInfo.MastersGroup))
        {
            return true;
        }
        var allowed = Grants(request);
        if (!allowed)
        {
            lock (_denied)
            {
                _denied.Add(request);
            }
        }
        return allowed;
    }

    private bool Grants(RequestAttributes request)
    {
        foreach (var binding in store.List($"{Group}/clusterrolebindings", null).Items)
        {
            if (BindsUser(binding, request.User, "") && (string?)binding["roleRef"]?["kind"] == "ClusterRole"
                && RulesOfClusterRole((string?)binding["roleRef"]?["name"]).Any(rule => RuleAllows(rule, request)))
            {
                return true;
            }
        }
        if (!request.IsResourceRequest || request.Namespace.Length == 0)
        {
            return false;
        }
        foreach (var binding in store.List($"{Group}/rolebindings", request.Namespace).Items)
        {
            if (!BindsUser(binding, request.User, request.Namespace))
            {
                continue;
            }
            var roleName = (string?)binding["roleRef"]?["name"];
            var rules = (string?)binding["roleRef"]?["kind"] switch
            {
                "Role" => RulesOf(store.Get($"{Group}/roles", request.Namespace, roleName ?? "")),
                "ClusterRole" => RulesOfClusterRole(roleName),
                _ => [],
            };
            if (rules.Any(rule => RuleAllows(rule, request)))
            {
                return true;
            }
        }
        return false;
    }

    private IEnumerable<JsonObject> RulesOfClusterRole(string? name)
    {
        var role = name is null ? null : store.Get($"{Group}/clusterroles", null, name);
        if (role?["aggregationRule"]?["clusterRoleSelectors"] is not JsonArray selectors)
        {
            return RulesOf(role);
        }
        var matchers = selectors.OfType<JsonObject>().Select(SelectorOf).ToList();
        return store.List($"{Group}/clusterroles", null).Items
            .Where(other => (string?)other["metadata"]?["name"] != name && matchers.Any(m => m.Matches(other)))
            .SelectMany(RulesOf)
            .ToList();
    }

    private static IEnumerable<JsonObject> RulesOf(JsonObject? role) =>
        role?["rules"] is JsonArray rules ? rules.OfType<JsonObject>().ToList() : [];

    /// <summary>A ServiceAccount subject without a namespace is in the RoleBinding's (<paramref name="bindingNamespace"/>).</summary>
    private static bool BindsUser(JsonObject binding, UserInfo user, string bindingNamespace)
    {
        if (binding["subjects"] is not JsonArray subjects)
        {
            return false;
        }
        foreach (var subject in subjects.OfType<JsonObject>())
        {
            var name = (string?)subject["name"];
            var matched = (string?)subject["kind"] switch
            {
                "User" => name == user.Name,
                "Group" => name is not null && user.Groups.Contains(name),
                "ServiceAccount" => user.Name == $"system:serviceaccount:{((string?)subject["namespace"] is { Length: > 0 } ns ? ns : bindingNamespace)}:{name}",
                _ => false,
            };
            if (matched)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when one PolicyRule (a JSON object of a Role or ClusterRole) allows the request.</summary>
    public static bool RuleAllows(JsonObject rule, RequestAttributes request)
    {
        var verbs = Strings(rule["verbs"]);
        if (!verbs.Contains("*") && !verbs.Contains(request.Verb))
        {
            return false;
        }
        if (!request.IsResourceRequest)
        {
            return Strings(rule["nonResourceURLs"]).Any(url =>
                url == "*" || url == request.Path || (url.EndsWith('*') && request.Path.StartsWith(url[..^1], StringComparison.Ordinal)));
        }
        var groups = Strings(rule["apiGroups"]);
        if (!groups.Contains("*") && !groups.Contains(request.ApiGroup))
        {
            return false;
        }
        var combined = request.ResourceWithSubresource;
        var resources = Strings(rule["resources"]);
        var resourceMatches = resources.Any(r =>
            r == "*" || r == combined || (request.Subresource.Length > 0 && r == "*/" + request.Subresource));
        if (!resourceMatches)
        {
            return false;
        }
        var names = Strings(rule["resourceNames"]);
        return names.Count == 0 || names.Contains(request.Name);
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(v => (string?)v).OfType<string>().ToList() : [];

    /// <summary>A metav1.LabelSelector (matchLabels, matchExpressions) in the query form <see cref="LabelSelector"/> reads.</summary>
    private static LabelSelector SelectorOf(JsonObject selector)
    {
        var requirements = new List<string>();
        if (selector["matchLabels"] is JsonObject labels)
        {
            requirements.AddRange(labels.Select(l => $"{l.Key}={(string?)l.Value}"));
        }
        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions.OfType<JsonObject>())
            {
                var key = (string?)e["key"];
                var values = string.Join(',', Strings(e["values"]));
                requirements.Add((string?)e["operator"] switch
                {
                    "In" => $"{key} in ({values})",
                    "NotIn" => $"{key} notin ({values})",
                    "Exists" => key!,
                    _ => $"!{key}",
                });
            }
        }
        return LabelSelector.Parse(string.Join(',', requirements));
    }
}
