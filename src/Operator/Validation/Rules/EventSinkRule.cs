using System.Text.RegularExpressions;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// KollectEventSink rules the schema cannot express (SPEC §2.1, §6), on the generated model. An
/// object that does not read as its kind gets only the schema's errors.
/// </summary>
public sealed partial class EventSinkRule : ISemanticRule
{
    private const string DefaultStream = "kollect_events";

    private const string Spec = KollectEventSink.JsonNames.Spec;

    private static readonly string TypePath = FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Type);

    private static readonly string EndpointPath = FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Endpoint);

    public void Check(SemanticValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Kind != KollectEventSink.KindName || context.Read(KollectJsonContext.Default.KollectEventSink)?.Spec is not { } spec)
        {
            return;
        }

        var report = context.Report;
        if (spec.Type == KollectEventSinkSpecType.Kafka)
        {
            RequireBlock(spec.Kafka is not null, KollectEventSinkSpec.JsonNames.Kafka, spec.Nats is not null, KollectEventSinkSpec.JsonNames.Nats, report);
            CheckKafka(spec, report);
        }
        else
        {
            RequireBlock(spec.Nats is not null, KollectEventSinkSpec.JsonNames.Nats, spec.Kafka is not null, KollectEventSinkSpec.JsonNames.Kafka, report);
            CheckNats(spec, report);
        }

        EventSinkEndpoints.Resolve(spec, report);
        CheckSerialization(spec, report);
        CheckTls(spec.Tls, context.Namespace, report);
        CommonRules.CheckInterval(spec.ExportMinInterval, FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.ExportMinInterval), report);
        CommonRules.CheckSecretRef(spec.SecretRef?.Name, spec.SecretRef?.Namespace, FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.SecretRef), context.Namespace, report);
        CommonRules.CheckSecretRef(
            spec.Kafka?.SecretRef?.Name, spec.Kafka?.SecretRef?.Namespace,
            FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Kafka, KollectEventSinkSpecKafka.JsonNames.SecretRef), context.Namespace, report);
        CommonRules.CheckSecretRef(
            spec.Nats?.SecretRef?.Name, spec.Nats?.SecretRef?.Namespace,
            FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Nats, KollectEventSinkSpecNats.JsonNames.SecretRef), context.Namespace, report);
        foreach (var (field, present) in (ReadOnlySpan<(string, bool)>)[(KollectEventSinkSpec.JsonNames.Layout, spec.Layout is not null), (KollectEventSinkSpec.JsonNames.PathTemplate, spec.PathTemplate is not null)])
        {
            if (present)
            {
                report.Warning(FieldPath.Of(Spec, field), "applies to snapshot sinks only; ignored by event sinks");
            }
        }
    }

    /// <summary>The block named by <c>spec.type</c> must be set and the other one must not (the block names are also the type values).</summary>
    private static void RequireBlock(bool present, string block, bool otherPresent, string other, ValidationReport report)
    {
        if (!present)
        {
            report.Error(FieldPath.Of(Spec, block), FieldMessages.Required($"{TypePath} is {block}, so the {block} block must be set"));
        }

        if (otherPresent)
        {
            report.Error(FieldPath.Of(Spec, other), FieldMessages.Forbidden($"{TypePath} is {block}; remove the {other} block (or change {TypePath} to {other})"));
        }
    }

    private static void CheckKafka(KollectEventSinkSpec spec, ValidationReport report)
    {
        if (spec.Kafka is not { } kafka)
        {
            return;
        }

        var kafkaPath = FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Kafka);
        if ((kafka.Brokers?.Count ?? 0) == 0 && string.IsNullOrWhiteSpace(spec.Endpoint))
        {
            report.Error(
                FieldPath.Of(kafkaPath, KollectEventSinkSpecKafka.JsonNames.Brokers),
                FieldMessages.Required($"list at least one host:port broker, or set {EndpointPath} (comma-separated host:port)"));
        }

        var topicPath = FieldPath.Of(kafkaPath, KollectEventSinkSpecKafka.JsonNames.Topic);
        var name = kafka.Topic;
        if (name.Length == 0)
        {
            report.Error(topicPath, FieldMessages.Required("the Kafka topic that receives snapshot envelopes"));
        }
        else if (name.Length > 249 || name is "." or ".." || !KafkaTopic().IsMatch(name))
        {
            report.Error(topicPath, FieldMessages.Invalid(name, "a Kafka topic has 1 to 249 characters from a-z, A-Z, 0-9, '.', '_' and '-', and is not '.' or '..'"));
        }
    }

    private static void CheckNats(KollectEventSinkSpec spec, ValidationReport report)
    {
        if (spec.Nats is not { } nats)
        {
            return;
        }

        var natsPath = FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Nats);
        if (string.IsNullOrWhiteSpace(nats.Url) && string.IsNullOrWhiteSpace(spec.Endpoint))
        {
            var urlPath = FieldPath.Of(natsPath, KollectEventSinkSpecNats.JsonNames.Url);
            report.Error(urlPath, FieldMessages.Required($"set {urlPath} (nats://host:4222 or tls://host:4222) or {EndpointPath}"));
        }

        if (CheckSubject(nats.Subject) is { } subjectProblem)
        {
            report.Error(FieldPath.Of(natsPath, KollectEventSinkSpecNats.JsonNames.Subject), FieldMessages.Invalid(nats.Subject, subjectProblem));
        }

        if (nats.Stream is { } name)
        {
            var streamPath = FieldPath.Of(natsPath, KollectEventSinkSpecNats.JsonNames.Stream);
            if (CheckStreamName(name) is { } streamProblem)
            {
                report.Error(streamPath, FieldMessages.Invalid(name, streamProblem));
            }
            else if (name.Contains('.', StringComparison.Ordinal))
            {
                report.Warning(streamPath, $"JetStream stream names cannot contain '.'; the stream used is \"{name.Replace('.', '_')}\"");
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

    private static void CheckSerialization(KollectEventSinkSpec spec, ValidationReport report)
    {
        var path = FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Serialization);
        if (spec.Serialization?.Format is { } format && format != KollectEventSinkSpecSerializationFormat.Json)
        {
            var json = FieldMessages.Text(KollectEventSinkSpecSerializationFormat.Json, KollectJsonContext.Default.KollectEventSinkSpecSerializationFormat);
            report.Error(
                FieldPath.Of(path, KollectEventSinkSpecSerialization.JsonNames.Format),
                FieldMessages.NotSupported(FieldMessages.Text(format, KollectJsonContext.Default.KollectEventSinkSpecSerializationFormat), [json]));
        }

        if (spec.Type == KollectEventSinkSpecType.Nats && spec.Serialization?.Compression is { } compression && compression != KollectEventSinkSpecSerializationCompression.None)
        {
            var codec = FieldMessages.Text(compression, KollectJsonContext.Default.KollectEventSinkSpecSerializationCompression);
            report.Warning(
                FieldPath.Of(path, KollectEventSinkSpecSerialization.JsonNames.Compression),
                $"compression {codec} is honoured by Kafka sinks only; NATS messages are sent uncompressed");
        }
    }

    private static void CheckTls(KollectEventSinkSpecTls? tls, string? objectNamespace, ValidationReport report)
    {
        if (tls is null)
        {
            return;
        }

        var path = FieldPath.Of(Spec, KollectEventSinkSpec.JsonNames.Tls);
        var bundlePath = FieldPath.Of(path, KollectEventSinkSpecTls.JsonNames.CaBundle);
        var secretPath = FieldPath.Of(path, KollectEventSinkSpecTls.JsonNames.CaSecretRef);
        if (tls.CaBundle is { } bundle)
        {
            if (CommonRules.CheckCaBundle(bundle) is { } bundleProblem)
            {
                report.Error(bundlePath, "Invalid value: " + bundleProblem);
            }

            if (tls.CaSecretRef is not null)
            {
                report.Error(secretPath, FieldMessages.Forbidden($"set either {bundlePath} or {secretPath}, not both"));
            }
        }

        CommonRules.CheckSecretRef(tls.CaSecretRef?.Name, tls.CaSecretRef?.Namespace, secretPath, objectNamespace, report);
        if (tls.InsecureSkipVerify == true)
        {
            report.Warning(
                FieldPath.Of(path, KollectEventSinkSpecTls.JsonNames.InsecureSkipVerify),
                $"server certificates are not verified (the sink reports condition TLSInsecure); use {KollectEventSinkSpecTls.JsonNames.CaBundle} or {KollectEventSinkSpecTls.JsonNames.CaSecretRef} instead");
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex KafkaTopic();
}
