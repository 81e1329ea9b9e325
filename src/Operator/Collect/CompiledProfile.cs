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
        string? secretDataRefusal = null;
        var allowsSecretData = SecretDataGuard.Allows(AllowAnnotation(profile));
        var items = spec?.Attributes ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (string.IsNullOrEmpty(item.Name) || string.IsNullOrWhiteSpace(item.Path))
            {
                return new CompiledProfile(gvk, null, $"{display}: {attributesPath}[{i}] needs a {KollectProfileSpecAttributesItem.JsonNames.Name} and a {KollectProfileSpecAttributesItem.JsonNames.Path}");
            }
            attributes.Add(new ProfileAttribute(item.Name, item.Path, item.Type, item.Optional == true));
            if (secretDataRefusal is null && !allowsSecretData && SecretDataGuard.ReadsSecretData(item.Path))
            {
                secretDataRefusal = $"{display}: {attributesPath}[{i}].{KollectProfileSpecAttributesItem.JsonNames.Path} {SecretDataGuard.Explanation(item.Path)}";
            }
        }
        try
        {
            return new CompiledProfile(gvk, new AttributeExtractor(attributes), null, secretDataRefusal);
        }
        catch (Exception error) when (error is AttributePathSyntaxException or ArgumentException)
        {
            return new CompiledProfile(gvk, null, $"{display}: {attributesPath}: {error.Message}; fix the path (run `kollect validate` for details)");
        }
    }

    /// <summary>The value of the Secret data guard's allow annotation on the profile, if any.</summary>
    internal static string? AllowAnnotation(KollectProfile profile) =>
        profile.Metadata.Annotations?.GetValueOrDefault(SecretDataGuard.AllowAnnotation);

    internal static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
