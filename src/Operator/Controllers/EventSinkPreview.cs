using System.Text.Json.Nodes;
using Kollect.Operator.Runtime;
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

    /// <summary>True when the sink carries <c>kollect.dev/preview: "true"</c> (trimmed, any case).</summary>
    public static bool IsRequested(JsonObject sink) =>
        sink["metadata"]?["annotations"]?[Annotation] is JsonValue value && value.TryGetValue<string>(out var text)
        && string.Equals(text.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The preview for <paramref name="sink"/>. <c>renderedAt</c> is taken from <paramref name="existing"/>
    /// when everything else is unchanged, so re-rendering on the preview's own status write changes nothing.
    /// </summary>
    public static JsonObject Render(JsonObject sink, JsonObject? existing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var spec = sink["spec"] as JsonObject;
        var type = (string?)spec?["type"];
        var warnings = new JsonArray();
        if (spec?["tls"]?["insecureSkipVerify"] is JsonValue insecure && insecure.TryGetValue<bool>(out var skip) && skip)
        {
            warnings.Add((JsonNode)JsonValue.Create("spec.tls.insecureSkipVerify is true: broker certificates are not verified (TLSInsecure)"));
        }

        if (spec?["connectionTest"] is JsonValue test && test.TryGetValue<bool>(out var testing) && !testing)
        {
            warnings.Add((JsonNode)JsonValue.Create("spec.connectionTest is false: the operator does not test this sink's connection"));
        }

        var compression = (string?)spec?["serialization"]?["compression"];
        if (type == "nats" && compression is { Length: > 0 } and not "none")
        {
            warnings.Add((JsonNode)JsonValue.Create($"spec.serialization.compression {compression} applies to Kafka only; NATS messages are sent uncompressed"));
        }

        var preview = new JsonObject
        {
            ["renderedAt"] = StatusConditions.FormatTime(now),
            ["inputSampleSource"] = "synthetic",
            ["provisioningMode"] = (string?)spec?["provisioning"]?["mode"] ?? "ensure",
            ["serializationFormat"] = (string?)spec?["serialization"]?["format"] ?? "json",
            ["warnings"] = warnings,
        };
        if (type == "kafka")
        {
            preview["kafka"] = new JsonObject { ["topic"] = (string?)spec?["kafka"]?["topic"] ?? "" };
        }
        else if (type == "nats")
        {
            preview["nats"] = new JsonObject
            {
                ["subject"] = (string?)spec?["nats"]?["subject"] ?? "",
                ["stream"] = NatsStreamName.Normalize((string?)spec?["nats"]?["stream"]),
            };
        }

        if (existing?["renderedAt"] is JsonNode renderedAt)
        {
            var candidate = (JsonObject)preview.DeepClone();
            candidate["renderedAt"] = renderedAt.DeepClone();
            if (JsonNode.DeepEquals(candidate, existing))
            {
                return candidate;
            }
        }

        return preview;
    }
}
