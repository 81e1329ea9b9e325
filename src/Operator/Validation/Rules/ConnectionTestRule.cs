using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// KollectConnectionTest rules (SPEC §6.3), on the generated model: exactly one sink ref (event or
/// database; snapshot sinks only warn), a non-negative TTL.
/// </summary>
public sealed class ConnectionTestRule : ISemanticRule
{
    private const string Spec = KollectConnectionTest.JsonNames.Spec;

    public void Check(SemanticValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind != KollectConnectionTest.KindName || context.Read(KollectJsonContext.Default.KollectConnectionTest)?.Spec is not { } spec)
        {
            return;
        }

        var report = context.Report;
        var sinkRefPath = FieldPath.Of(Spec, KollectConnectionTestSpec.JsonNames.SinkRef);
        var refs = new (string Field, string? Name)[]
        {
            (KollectConnectionTestSpecSinkRef.JsonNames.EventSinkRef, spec.SinkRef.EventSinkRef),
            (KollectConnectionTestSpecSinkRef.JsonNames.DatabaseSinkRef, spec.SinkRef.DatabaseSinkRef),
            (KollectConnectionTestSpecSinkRef.JsonNames.SnapshotSinkRef, spec.SinkRef.SnapshotSinkRef),
        };
        var set = refs.Where(r => !string.IsNullOrEmpty(r.Name)).Select(r => r.Field).ToList();
        if (set.Count == 0)
        {
            report.Error(sinkRefPath, FieldMessages.Required(
                $"set {FieldPath.Of(sinkRefPath, KollectConnectionTestSpecSinkRef.JsonNames.EventSinkRef)} to the KollectEventSink " +
                $"(or {KollectConnectionTestSpecSinkRef.JsonNames.DatabaseSinkRef} to the KollectDatabaseSink) to probe"));
        }
        else if (set.Count > 1)
        {
            report.Error(sinkRefPath, FieldMessages.Forbidden($"a connection test probes exactly one sink, but {string.Join(" and ", set)} are set"));
        }

        foreach (var (field, name) in refs)
        {
            if (name is not null)
            {
                CommonRules.CheckObjectName(name, FieldPath.Of(sinkRefPath, field), "a sink in this namespace", report);
            }
        }

        if (!string.IsNullOrEmpty(spec.SinkRef.SnapshotSinkRef))
        {
            report.Warning(
                FieldPath.Of(sinkRefPath, KollectConnectionTestSpecSinkRef.JsonNames.SnapshotSinkRef),
                "not supported by this operator; the probe will report the sink family as unsupported");
        }

        if (spec.TtlSecondsAfterFinished is { } seconds && seconds < 0)
        {
            report.Error(FieldPath.Of(Spec, KollectConnectionTestSpec.JsonNames.TtlSecondsAfterFinished), FieldMessages.Invalid(seconds, "must be greater than or equal to 0"));
        }

        if (spec.ProfileRef is { } profileRef)
        {
            CommonRules.CheckObjectName(profileRef, FieldPath.Of(Spec, KollectConnectionTestSpec.JsonNames.ProfileRef), "a KollectProfile in this namespace", report);
        }
    }
}
