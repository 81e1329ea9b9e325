using System.Text.Json;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Collect;
using Kollect.Operator.Kube;
using Kollect.Operator.Json;

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
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind != KollectProfile.KindName || context.Read(KollectJsonContext.Default.KollectProfile) is not { Spec: { } spec } profile)
        {
            return;
        }

        var target = new GroupVersionKind(spec.TargetGVK.Group ?? "", spec.TargetGVK.Version, spec.TargetGVK.Kind);
        if (!SecretDataGuard.IsSecret(target) || SecretDataGuard.Allows(CompiledProfile.AllowAnnotation(profile)))
        {
            return;
        }

        var attributes = spec.Attributes ?? [];
        for (var i = 0; i < attributes.Count; i++)
        {
            if (SecretDataGuard.ReadsSecretData(attributes[i].Path))
            {
                context.Report.Error(
                    $"{KollectProfile.JsonNames.Spec}.{KollectProfileSpec.JsonNames.Attributes}[{i}].{KollectProfileSpecAttributesItem.JsonNames.Path}",
                    FieldMessages.Forbidden(SecretDataGuard.Explanation(attributes[i].Path)));
            }
        }
    }
}
