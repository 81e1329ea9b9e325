using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Collect;

/// <summary>
/// A KollectProfile, read through its generated model, as the engine needs it (SPEC §2.4): the target GVK and the compiled attribute
/// extractor, or, when the profile does not compile, the problem naming the field.
/// </summary>
internal sealed class CompiledProfile
{
    private CompiledProfile(GroupVersionKind gvk, AttributeExtractor? extractor, string? problem)
    {
        Gvk = gvk;
        Extractor = extractor;
        Problem = problem;
    }

    public GroupVersionKind Gvk { get; }

    public AttributeExtractor? Extractor { get; }

    public string? Problem { get; }

    public static CompiledProfile Compile(KollectProfile profile)
    {
        var display = $"KollectProfile {profile.Metadata.Namespace}/{profile.Metadata.Name}";
        var spec = profile.Spec;
        var targetGvk = $"{KollectProfile.JsonNames.Spec}.{KollectProfileSpec.JsonNames.TargetGVK}";
        var gvk = new GroupVersionKind(spec?.TargetGVK.Group ?? "", spec?.TargetGVK.Version ?? "", spec?.TargetGVK.Kind ?? "");
        if (gvk.Version.Length == 0 || gvk.Kind.Length == 0)
        {
            return new CompiledProfile(gvk, null, $"{display}: {targetGvk} needs a version and a kind; set both (for example apps/v1 Deployment)");
        }
        var attributesPath = $"{KollectProfile.JsonNames.Spec}.{KollectProfileSpec.JsonNames.Attributes}";
        var attributes = new List<ProfileAttribute>();
        var items = spec?.Attributes ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (string.IsNullOrEmpty(item.Name) || string.IsNullOrWhiteSpace(item.Path))
            {
                return new CompiledProfile(gvk, null, $"{display}: {attributesPath}[{i}] needs a {KollectProfileSpecAttributesItem.JsonNames.Name} and a {KollectProfileSpecAttributesItem.JsonNames.Path}");
            }
            attributes.Add(new ProfileAttribute(item.Name, item.Path, item.Type, item.Optional == true));
        }
        try
        {
            return new CompiledProfile(gvk, new AttributeExtractor(attributes), null);
        }
        catch (Exception error) when (error is AttributePathSyntaxException or ArgumentException)
        {
            return new CompiledProfile(gvk, null, $"{display}: {attributesPath}: {error.Message}; fix the path (run `kollect validate` for details)");
        }
    }

    internal static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
