using System.Text.Json;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// The Secret data guard (SPEC §3, issue #12): a <c>KollectProfile</c> whose <c>targetGVK</c> is
/// core v1 <c>Secret</c> may not read <c>data</c> or <c>stringData</c> unless it is annotated
/// <c>kollect.dev/allow-secret-extraction: "true"</c>. Each offending attribute path is an error
/// at its field path, so <c>kollect validate</c> fails and the operator reports the profile
/// <c>Ready=False</c>/<c>InvalidSpec</c>. Which paths read data is decided by
/// <see cref="SecretDataGuard"/>, which the collection engine applies too.
/// </summary>
public sealed class SecretDataRule : ISemanticRule
{
    public void Check(SemanticValidationContext context)
    {
        if (context.Kind != KollectProfile.KindName)
        {
            return;
        }
        var gvk = JsonFields.Get(context.Spec, "targetGVK");
        var target = new GroupVersionKind(JsonFields.GetString(gvk, "group") ?? "", JsonFields.GetString(gvk, "version") ?? "", JsonFields.GetString(gvk, "kind") ?? "");
        var annotations = JsonFields.Get(JsonFields.Get(context.Object, "metadata"), "annotations");
        if (!SecretDataGuard.IsSecret(target) || SecretDataGuard.Allows(JsonFields.GetString(annotations, SecretDataGuard.AllowAnnotation)))
        {
            return;
        }
        foreach (var (index, attribute) in JsonFields.Items(JsonFields.Get(context.Spec, "attributes")))
        {
            if (JsonFields.Get(attribute, "path") is { ValueKind: JsonValueKind.String } path && SecretDataGuard.ReadsSecretData(path.GetString()!))
            {
                context.Report.Error($"spec.attributes[{index}].path", FieldMessages.Forbidden(SecretDataGuard.Explanation(path.GetString()!)));
            }
        }
    }
}
