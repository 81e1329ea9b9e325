using System.Text.Json;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Operator.Controllers;

/// <summary>
/// <c>status.preview</c> of a <c>KollectEventSink</c> (SPEC §6.4): what the sink would be used as,
/// rendered from the spec alone (no broker is contacted). Pure.
/// </summary>
public static class EventSinkPreview
{
    /// <summary>The annotation that asks for a preview.</summary>
    public const string Annotation = "kollect.dev/preview";

    /// <summary>The preview's <c>inputSampleSource</c>: rendered without reading any object.</summary>
    private const string SyntheticSource = "synthetic";

    /// <summary>True when the sink carries <c>kollect.dev/preview: "true"</c> (trimmed, any case).</summary>
    public static bool IsRequested(KollectEventSink sink) =>
        string.Equals(sink?.Metadata.Annotations?.GetValueOrDefault(Annotation)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The preview for <paramref name="sink"/>. <c>renderedAt</c> is taken from <paramref name="existing"/>
    /// when everything else is unchanged, so re-rendering on the preview's own status write changes nothing.
    /// </summary>
    public static KollectEventSinkStatusPreview Render(KollectEventSink sink, KollectEventSinkStatusPreview? existing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sink);
        const string Spec = KollectEventSink.JsonNames.Spec;
        var spec = sink.Spec;
        var warnings = new List<string>();
        if (spec?.Tls?.InsecureSkipVerify == true)
        {
            warnings.Add($"{Spec}.{KollectEventSinkSpec.JsonNames.Tls}.{KollectEventSinkSpecTls.JsonNames.InsecureSkipVerify} is true: broker certificates are not verified (TLSInsecure)");
        }

        if (spec?.ConnectionTest == false)
        {
            warnings.Add($"{Spec}.{KollectEventSinkSpec.JsonNames.ConnectionTest} is false: the operator does not test this sink's connection");
        }

        if (spec is { Type: KollectEventSinkSpecType.Nats, Serialization.Compression: { } compression } && compression != KollectEventSinkSpecSerializationCompression.None)
        {
            var path = $"{Spec}.{KollectEventSinkSpec.JsonNames.Serialization}.{KollectEventSinkSpecSerialization.JsonNames.Compression}";
            warnings.Add($"{path} {Value(compression, KollectJsonContext.Default.KollectEventSinkSpecSerializationCompression)} applies to Kafka only; NATS messages are sent uncompressed");
        }

        var preview = new KollectEventSinkStatusPreview
        {
            RenderedAt = Seconds(now),
            InputSampleSource = SyntheticSource,
            ProvisioningMode = Value(spec?.Provisioning?.Mode ?? KollectEventSinkSpecProvisioningMode.Ensure, KollectJsonContext.Default.KollectEventSinkSpecProvisioningMode),
            SerializationFormat = Value(spec?.Serialization?.Format ?? KollectEventSinkSpecSerializationFormat.Json, KollectJsonContext.Default.KollectEventSinkSpecSerializationFormat),
            Warnings = warnings,
        };
        if (spec?.Type == KollectEventSinkSpecType.Kafka)
        {
            preview.Kafka = new KollectEventSinkStatusPreviewKafka { Topic = spec.Kafka?.Topic ?? "" };
        }
        else if (spec?.Type == KollectEventSinkSpecType.Nats)
        {
            preview.Nats = new KollectEventSinkStatusPreviewNats { Subject = spec.Nats?.Subject ?? "", Stream = NatsStreamName.Normalize(spec.Nats?.Stream) };
        }

        if (existing?.RenderedAt is { } renderedAt)
        {
            var rendered = preview.RenderedAt;
            preview.RenderedAt = renderedAt;
            if (SameAs(preview, existing))
            {
                return preview;
            }

            preview.RenderedAt = rendered;
        }

        return preview;
    }

    /// <summary>Whether two previews serialize alike.</summary>
    public static bool SameAs(KollectEventSinkStatusPreview? a, KollectEventSinkStatusPreview? b) =>
        JsonSerializer.Serialize(a, KollectJsonContext.Default.KollectEventSinkStatusPreview) == JsonSerializer.Serialize(b, KollectJsonContext.Default.KollectEventSinkStatusPreview);

    private static string Value<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Serialize(value, type).Trim('"');

    // metav1.Time has whole seconds.
    private static DateTimeOffset Seconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
