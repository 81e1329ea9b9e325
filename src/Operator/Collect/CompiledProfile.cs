using System.Text.Json.Nodes;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// A KollectProfile as the engine needs it (SPEC §2.4): the target GVK and the compiled attribute
/// extractor, or, when the profile does not compile, the problem naming the field.
/// </summary>
internal sealed class CompiledProfile
{
    private CompiledProfile(GroupVersionKind gvk, AttributeExtractor? extractor, string? problem, string? secretDataRefusal = null)
    {
        Gvk = gvk;
        Extractor = extractor;
        Problem = problem;
        SecretDataRefusal = secretDataRefusal;
    }

    public GroupVersionKind Gvk { get; }

    public AttributeExtractor? Extractor { get; }

    public string? Problem { get; }

    /// <summary>
    /// Why this profile must not collect Secrets (SPEC §3 Secret data guard): an attribute reads
    /// <c>data</c>/<c>stringData</c> and the profile lacks the allow annotation; null otherwise.
    /// The engine applies it to every target that would collect Secrets with the profile.
    /// </summary>
    public string? SecretDataRefusal { get; }

    public static CompiledProfile Compile(JsonObject profile)
    {
        var display = $"KollectProfile {KubeObjects.Key(profile)}";
        var spec = profile["spec"] as JsonObject;
        var gvkNode = spec?["targetGVK"] as JsonObject;
        var gvk = new GroupVersionKind(Text(gvkNode?["group"]) ?? "", Text(gvkNode?["version"]) ?? "", Text(gvkNode?["kind"]) ?? "");
        if (gvk.Version.Length == 0 || gvk.Kind.Length == 0)
        {
            return new CompiledProfile(gvk, null, $"{display}: spec.targetGVK needs a version and a kind; set both (for example apps/v1 Deployment)");
        }
        var attributes = new List<ProfileAttribute>();
        string? secretDataRefusal = null;
        var allowsSecretData = SecretDataGuard.Allows(Text(profile["metadata"]?["annotations"]?[SecretDataGuard.AllowAnnotation]));
        if (spec?["attributes"] is JsonArray items)
        {
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i] as JsonObject;
                var name = Text(item?["name"]);
                var path = Text(item?["path"]);
                if (string.IsNullOrEmpty(name) || string.IsNullOrWhiteSpace(path))
                {
                    return new CompiledProfile(gvk, null, $"{display}: spec.attributes[{i}] needs a name and a path");
                }
                var optional = item?["optional"] is JsonValue flag && flag.TryGetValue<bool>(out var value) && value;
                attributes.Add(new ProfileAttribute(name, path, Text(item?["type"]), optional));
                if (secretDataRefusal is null && !allowsSecretData && SecretDataGuard.ReadsSecretData(path))
                {
                    secretDataRefusal = $"{display}: spec.attributes[{i}].path {SecretDataGuard.Explanation(path)}";
                }
            }
        }
        try
        {
            return new CompiledProfile(gvk, new AttributeExtractor(attributes), null, secretDataRefusal);
        }
        catch (Exception error) when (error is AttributePathSyntaxException or ArgumentException)
        {
            return new CompiledProfile(gvk, null, $"{display}: spec.attributes: {error.Message}; fix the path (run `kollect validate` for details)");
        }
    }

    internal static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
