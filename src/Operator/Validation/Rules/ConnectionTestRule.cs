using System.Text.Json;
using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Validation.Rules;

/// <summary>KollectConnectionTest rules (SPEC §6.3): exactly one sink ref (event or database; snapshot sinks only warn), a non-negative TTL.</summary>
public sealed class ConnectionTestRule : ISemanticRule
{
    private static readonly string[] SinkRefFields = ["eventSinkRef", "databaseSinkRef", "snapshotSinkRef"];

    public void Check(SemanticValidationContext context)
    {
        if (context.Kind != KollectConnectionTest.KindName || !JsonFields.IsObject(context.Spec))
        {
            return;
        }

        var spec = context.Spec;
        var report = context.Report;
        var sinkRef = JsonFields.Get(spec, "sinkRef");
        if (sinkRef.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            report.Error("spec.sinkRef", FieldMessages.Required("set spec.sinkRef.eventSinkRef to the KollectEventSink (or databaseSinkRef to the KollectDatabaseSink) to probe"));
        }
        else if (JsonFields.IsObject(sinkRef))
        {
            var set = SinkRefFields.Where(field => !string.IsNullOrEmpty(JsonFields.GetString(sinkRef, field))).ToList();
            if (set.Count == 0)
            {
                report.Error("spec.sinkRef", FieldMessages.Required("set spec.sinkRef.eventSinkRef to the KollectEventSink (or databaseSinkRef to the KollectDatabaseSink) to probe"));
            }
            else if (set.Count > 1)
            {
                report.Error("spec.sinkRef", FieldMessages.Forbidden($"a connection test probes exactly one sink, but {string.Join(" and ", set)} are set"));
            }

            foreach (var field in SinkRefFields)
            {
                CommonRules.CheckObjectName(JsonFields.Get(sinkRef, field), "spec.sinkRef." + field, "a sink in this namespace", report);
            }

            foreach (var field in set.Where(field => field == "snapshotSinkRef"))
            {
                report.Warning("spec.sinkRef." + field, "not supported by this operator; the probe will report the sink family as unsupported");
            }
        }

        if (JsonFields.Get(spec, "ttlSecondsAfterFinished") is { ValueKind: JsonValueKind.Number } ttl && ttl.TryGetInt64(out var seconds) && seconds < 0)
        {
            report.Error("spec.ttlSecondsAfterFinished", FieldMessages.Invalid(seconds, "must be greater than or equal to 0"));
        }

        CommonRules.CheckObjectName(JsonFields.Get(spec, "profileRef"), "spec.profileRef", "a KollectProfile in this namespace", report);
    }
}
