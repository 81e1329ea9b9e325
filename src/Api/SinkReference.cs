using System.Text.Json;
using System.Text.Json.Serialization;
using Kollect.Api.Schema;

namespace Kollect.Api;

/// <summary>
/// One item of an inventory's sink reference list (SPEC §2.2): either a plain string naming the
/// sink, or an object <c>{name, namespace?, exportMinInterval?, maxExportBytes?}</c>. The published
/// examples use both forms, so the CRD marks the item <c>x-kubernetes-preserve-unknown-fields</c>
/// and this type checks the shape. It writes back the form it was read in.
/// </summary>
[JsonConverter(typeof(SinkReferenceJsonConverter))]
public sealed class SinkReference
{
    /// <summary>The JSON names of a sink ref object's fields (SPEC §2.2), as the generated models have them.</summary>
    public static class JsonNames
    {
        public const string Name = "name";
        public const string Namespace = "namespace";
        public const string ExportMinInterval = "exportMinInterval";
        public const string MaxExportBytes = "maxExportBytes";
    }

    /// <summary>Name of the sink object.</summary>
    public required string Name { get; set; }

    /// <summary>Namespace of the sink; cluster inventories only.</summary>
    public string? Namespace { get; set; }

    /// <summary>Per-reference override of the inventory's export interval.</summary>
    public Duration? ExportMinInterval { get; set; }

    /// <summary>Per-reference override of the export size ceiling in bytes.</summary>
    public long? MaxExportBytes { get; set; }

    /// <summary>
    /// True when the reference was written as a plain string. A reference with only a name is
    /// written back as a string when this is set, so re-serialising does not rewrite manifests.
    /// </summary>
    public bool IsShorthand { get; set; }

    /// <summary>
    /// Why the ref as written cannot be used (no name, a field of the wrong type, a bad duration);
    /// null when it is usable. Set when reading; never written.
    /// </summary>
    public string? Problem { get; init; }

    /// <summary>
    /// Checks one JSON item against the two accepted forms, reporting errors like the API server
    /// would for the equivalent schema.
    /// </summary>
    internal static void Validate(JsonElement value, string path, ICollection<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            if (value.GetString()!.Length == 0)
            {
                errors.Add(new FieldError(path, "Invalid value: \"\": a sink reference must name a sink"));
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, $"Invalid value: \"{SchemaChecks.TypeName(value)}\": {path} in body must be of type string or object"));
            return;
        }

        var hasName = false;
        foreach (var property in value.EnumerateObject())
        {
            var fieldPath = SchemaChecks.Join(path, property.Name);
            var field = property.Value;
            switch (property.Name)
            {
                case JsonNames.Name:
                    hasName = true;
                    SchemaChecks.IsType(field, "string", fieldPath, errors);
                    break;
                case JsonNames.Namespace:
                    SchemaChecks.IsType(field, "string", fieldPath, errors);
                    break;
                case JsonNames.ExportMinInterval:
                    if (SchemaChecks.IsType(field, "string", fieldPath, errors))
                    {
                        SchemaChecks.CheckDuration(field, fieldPath, errors);
                    }

                    break;
                case JsonNames.MaxExportBytes:
                    if (SchemaChecks.IsType(field, "integer", fieldPath, errors))
                    {
                        SchemaChecks.CheckFormat(field, "int64", fieldPath, errors);
                    }

                    break;
                default:
                    errors.Add(new FieldError(fieldPath, SchemaChecks.UnknownField));
                    break;
            }
        }

        if (!hasName)
        {
            errors.Add(new FieldError(SchemaChecks.Join(path, JsonNames.Name), SchemaChecks.RequiredValue));
        }
    }
}
