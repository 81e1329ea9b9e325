using System.Text.Json.Nodes;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Deploy;

/// <summary>
/// One verb of one PolicyRule of a shipped Role or ClusterRole (the rule by its position in the
/// role's <c>rules</c>): what a removal run takes away.
/// </summary>
public sealed record ShippedRule(string RoleKind, string? RoleNamespace, string RoleName, int Index, JsonObject Rule, string Verb)
{
    /// <summary>The rule narrowed to <see cref="Verb"/>: the permission that is taken away.</summary>
    public JsonObject Removed
    {
        get
        {
            var removed = (JsonObject)Rule.DeepClone();
            removed["verbs"] = new JsonArray(Verb);
            return removed;
        }
    }

    public async Task<JsonObject> ReadRoleAsync(KubeResources kube) =>
        await kube.GetAsync(RoleKind, RoleNamespace, RoleName)
        ?? throw new Xunit.Sdk.XunitException($"{RoleKind} {RoleName} is gone");

    /// <summary><paramref name="role"/> with <see cref="Verb"/> taken out of the rule (the rule dropped when no verb is left).</summary>
    public JsonObject Without(JsonObject role)
    {
        var reduced = (JsonObject)role.DeepClone();
        var rules = reduced["rules"]!.AsArray();
        var verbs = rules[Index]!["verbs"]!.AsArray().Select(v => (string)v!).Where(v => v != Verb).ToList();
        if (verbs.Count == 0)
        {
            rules.RemoveAt(Index);
        }
        else
        {
            rules[Index]!["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]);
        }
        return reduced;
    }

    public override string ToString() =>
        $"{Verb} of {RoleKind} {(RoleNamespace is null ? "" : RoleNamespace + "/")}{RoleName} rules[{Index}] {Rule.ToJsonString()}";
}
