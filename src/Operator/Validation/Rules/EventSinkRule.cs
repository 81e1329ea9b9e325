using System.Text.Json;
using System.Text.RegularExpressions;
using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Validation.Rules;

/// <summary>KollectEventSink rules the schema cannot express (SPEC §2.1, §6).</summary>
public sealed partial class EventSinkRule : ISemanticRule
{
    private const string DefaultStream = "kollect_events";

    public void Check(SemanticValidationContext context)
    {
        if (context.Kind != KollectEventSink.KindName || !JsonFields.IsObject(context.Spec))
        {
            return;
        }

        var spec = context.Spec;
        var report = context.Report;
        var type = JsonFields.GetString(spec, "type");
        if (type is "kafka")
        {
            RequireBlock(spec, "kafka", "nats", report);
            CheckKafka(spec, report);
        }
        else if (type is "nats")
        {
            RequireBlock(spec, "nats", "kafka", report);
            CheckNats(spec, report);
        }

        EventSinkEndpoints.Resolve(spec, report);
        CheckSerialization(spec, type, report);
        CheckTls(JsonFields.Get(spec, "tls"), context.Namespace, report);
        CommonRules.CheckInterval(JsonFields.Get(spec, "exportMinInterval"), "spec.exportMinInterval", report);
        CommonRules.CheckSecretRef(JsonFields.Get(spec, "secretRef"), "spec.secretRef", context.Namespace, report);
        CommonRules.CheckSecretRef(JsonFields.Get(JsonFields.Get(spec, "kafka"), "secretRef"), "spec.kafka.secretRef", context.Namespace, report);
        CommonRules.CheckSecretRef(JsonFields.Get(JsonFields.Get(spec, "nats"), "secretRef"), "spec.nats.secretRef", context.Namespace, report);
        foreach (var field in new[] { "layout", "pathTemplate" })
        {
            if (JsonFields.Has(spec, field))
            {
                report.Warning("spec." + field, "applies to snapshot sinks only; ignored by event sinks");
            }
        }
    }

    private static void RequireBlock(JsonElement spec, string block, string other, ValidationReport report)
    {
        if (!JsonFields.Has(spec, block))
        {
            report.Error("spec." + block, FieldMessages.Required($"spec.type is {block}, so the {block} block must be set"));
        }

        if (JsonFields.Has(spec, other))
        {
            report.Error("spec." + other, FieldMessages.Forbidden($"spec.type is {block}; remove the {other} block (or change spec.type to {other})"));
        }
    }

    private static void CheckKafka(JsonElement spec, ValidationReport report)
    {
        var kafka = JsonFields.Get(spec, "kafka");
        if (!JsonFields.IsObject(kafka))
        {
            return;
        }

        if (JsonFields.Count(JsonFields.Get(kafka, "brokers")) == 0 && string.IsNullOrWhiteSpace(JsonFields.GetString(spec, "endpoint")))
        {
            report.Error("spec.kafka.brokers", FieldMessages.Required("list at least one host:port broker, or set spec.endpoint (comma-separated host:port)"));
        }

        var topic = JsonFields.Get(kafka, "topic");
        if (topic.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            report.Error("spec.kafka.topic", FieldMessages.Required("the Kafka topic that receives snapshot envelopes"));
        }
        else if (topic.ValueKind == JsonValueKind.String)
        {
            var name = topic.GetString()!;
            if (name.Length == 0)
            {
                report.Error("spec.kafka.topic", FieldMessages.Required("the Kafka topic that receives snapshot envelopes"));
            }
            else if (name.Length > 249 || name is "." or ".." || !KafkaTopic().IsMatch(name))
            {
                report.Error("spec.kafka.topic", FieldMessages.Invalid(name, "a Kafka topic has 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-', and is not '.' or '..'"));
            }
        }
    }

    private static void CheckNats(JsonElement spec, ValidationReport report)
    {
        var nats = JsonFields.Get(spec, "nats");
        if (!JsonFields.IsObject(nats))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(JsonFields.GetString(nats, "url")) && string.IsNullOrWhiteSpace(JsonFields.GetString(spec, "endpoint")))
        {
            report.Error("spec.nats.url", FieldMessages.Required("set spec.nats.url (nats://host:4222 or tls://host:4222) or spec.endpoint"));
        }

        var subject = JsonFields.Get(nats, "subject");
        if (subject.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            report.Error("spec.nats.subject", FieldMessages.Required("the subject snapshots are published to"));
        }
        else if (subject.ValueKind == JsonValueKind.String && CheckSubject(subject.GetString()!) is { } subjectProblem)
        {
            report.Error("spec.nats.subject", FieldMessages.Invalid(subject.GetString()!, subjectProblem));
        }

        if (JsonFields.Get(nats, "stream") is { ValueKind: JsonValueKind.String } stream)
        {
            var name = stream.GetString()!;
            if (CheckStreamName(name) is { } streamProblem)
            {
                report.Error("spec.nats.stream", FieldMessages.Invalid(name, streamProblem));
            }
            else if (name.Contains('.', StringComparison.Ordinal))
            {
                report.Warning("spec.nats.stream", $"JetStream stream names cannot contain '.'; the stream used is \"{name.Replace('.', '_')}\"");
            }
        }
    }

    /// <summary>A publish subject: dot-separated non-empty tokens, no wildcards, no whitespace, not a system subject.</summary>
    internal static string? CheckSubject(string subject)
    {
        if (subject.Length == 0)
        {
            return "must not be empty";
        }

        if (subject.Contains('*', StringComparison.Ordinal) || subject.Contains('>', StringComparison.Ordinal))
        {
            return "must not contain the wildcards '*' or '>': snapshots are published to exactly this subject, which is also the stream's subject";
        }

        if (subject.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "must not contain whitespace or control characters";
        }

        if (subject.Split('.').Any(token => token.Length == 0))
        {
            return "tokens between '.' must not be empty (no leading, trailing or double dots)";
        }

        if (subject.StartsWith('$'))
        {
            return "subjects starting with '$' are reserved for NATS itself ($JS, $SYS, ...)";
        }

        return null;
    }

    /// <summary>A JetStream stream name ('.' is allowed here and replaced by '_' at use, SPEC §2.1).</summary>
    internal static string? CheckStreamName(string stream)
    {
        if (stream.Length == 0)
        {
            return $"must not be empty; omit the field to use {DefaultStream}";
        }

        if (stream.Length > 255)
        {
            return "must be at most 255 characters";
        }

        if (stream.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '*' or '>' or '/' or '\\'))
        {
            return "must not contain whitespace, '*', '>', '/' or '\\'";
        }

        return null;
    }

    private static void CheckSerialization(JsonElement spec, string? type, ValidationReport report)
    {
        var serialization = JsonFields.Get(spec, "serialization");
        if (JsonFields.GetString(serialization, "format") is { } format && format != "json")
        {
            report.Error("spec.serialization.format", FieldMessages.NotSupported(format, ["json"]));
        }

        if (type == "nats" && JsonFields.GetString(serialization, "compression") is { } compression && compression != "none")
        {
            report.Warning("spec.serialization.compression", $"compression {compression} is honoured by Kafka sinks only; NATS messages are sent uncompressed");
        }
    }

    private static void CheckTls(JsonElement tls, string? objectNamespace, ValidationReport report)
    {
        if (!JsonFields.IsObject(tls))
        {
            return;
        }

        if (JsonFields.GetString(tls, "caBundle") is { } bundle)
        {
            if (CommonRules.CheckCaBundle(bundle) is { } bundleProblem)
            {
                report.Error("spec.tls.caBundle", "Invalid value: " + bundleProblem);
            }

            if (JsonFields.Has(tls, "caSecretRef"))
            {
                report.Error("spec.tls.caSecretRef", FieldMessages.Forbidden("set either spec.tls.caBundle or spec.tls.caSecretRef, not both"));
            }
        }

        CommonRules.CheckSecretRef(JsonFields.Get(tls, "caSecretRef"), "spec.tls.caSecretRef", objectNamespace, report);
        if (JsonFields.Get(tls, "insecureSkipVerify").ValueKind == JsonValueKind.True)
        {
            report.Warning("spec.tls.insecureSkipVerify", "server certificates are not verified (the sink reports condition TLSInsecure); use caBundle or caSecretRef instead");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KafkaTopic();
}
