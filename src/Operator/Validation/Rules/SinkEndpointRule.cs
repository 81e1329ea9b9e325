using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// Applies the sink endpoint guard (SPEC §6.5) to every broker and NATS URL an event sink would
/// dial, as resolved by <see cref="EventSinkEndpoints"/>. <paramref name="checkEndpoint"/> returns
/// why an endpoint is refused (loopback, link-local, private without permission, ...), or null.
/// Syntax problems are reported by <see cref="EventSinkRule"/>, not again here.
/// </summary>
public sealed class SinkEndpointRule(Func<SinkEndpoint, string?> checkEndpoint) : ISemanticRule
{
    public void Check(SemanticValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind != KollectEventSink.KindName || context.Read(KollectJsonContext.Default.KollectEventSink)?.Spec is not { } spec)
        {
            return;
        }

        foreach (var endpoint in EventSinkEndpoints.Resolve(spec, new ValidationReport()))
        {
            if (checkEndpoint(endpoint) is { } problem)
            {
                context.Report.Error(endpoint.Path, FieldMessages.Forbidden($"{endpoint.Host}: {problem}"));
            }
        }
    }
}
