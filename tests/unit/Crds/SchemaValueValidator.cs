using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// Validates a JSON value against a structural schema the way the API server does for the keywords
/// our CRDs use (type, enum, bounds, lengths, pattern, formats, required, list types, unknown fields).
/// Used for CRD defaults and for the upstream sample manifests; it is test equipment, not the
/// operator's validation.
/// </summary>
public static class SchemaValueValidator
{
    public static IReadOnlyList<string> Validate(JsonNode? value, JsonObject schema)
    {
        var errors = new List<string>();
        Validate(value, schema, string.Empty, errors);
        return errors;
    }

    private static void Validate(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        var where = path.Length == 0 ? "<root>" : path;
        var type = (schema["type"] as JsonValue)?.GetValue<string>();
        var preserve = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.GetValueKind() == JsonValueKind.True;
        var intOrString = schema["x-kubernetes-int-or-string"] is JsonValue i && i.GetValueKind() == JsonValueKind.True;

        if (value is null)
        {
            if (!(schema["nullable"] is JsonValue n && n.GetValueKind() == JsonValueKind.True) && type is not null)
            {
                errors.Add($"{where}: must not be null");
            }

            return;
        }

        var kind = value.GetValueKind();
        var typeOk = intOrString
            ? kind == JsonValueKind.String || IsInteger(value)
            : type switch
            {
                null => true,
                "string" => kind == JsonValueKind.String,
                "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
                "integer" => IsInteger(value),
                "number" => kind == JsonValueKind.Number,
                "object" => kind == JsonValueKind.Object,
                "array" => kind == JsonValueKind.Array,
                _ => false,
            };
        if (!typeOk)
        {
            errors.Add($"{where}: expected {(intOrString ? "integer or string" : type)}, got {kind}");
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add($"{where}: {value.ToJsonString()} is not one of {allowed.ToJsonString()}");
        }

        switch (kind)
        {
            case JsonValueKind.String:
                ValidateString(value.GetValue<string>(), schema, where, errors);
                break;
            case JsonValueKind.Number:
                ValidateNumber(value.GetValue<double>(), schema, where, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray((JsonArray)value, schema, path, errors);
                break;
            case JsonValueKind.Object:
                ValidateObject((JsonObject)value, schema, path, preserve, errors);
                break;
        }
    }

    private static void ValidateString(string text, JsonObject schema, string where, List<string> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (Number(schema, "minLength") is { } min && length < min)
        {
            errors.Add($"{where}: shorter than {min} characters");
        }

        if (Number(schema, "maxLength") is { } max && length > max)
        {
            errors.Add($"{where}: longer than {max} characters");
        }

        if ((schema["pattern"] as JsonValue)?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant))
        {
            errors.Add($"{where}: \"{text}\" does not match {pattern}");
        }

        var valid = (schema["format"] as JsonValue)?.GetValue<string>() switch
        {
            "date-time" => DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "byte" => text.Length % 4 == 0 && Convert.TryFromBase64String(text, new byte[text.Length], out _),
            _ => true,
        };
        if (!valid)
        {
            errors.Add($"{where}: \"{text}\" is not a valid {schema["format"]}");
        }
    }

    private static void ValidateNumber(double number, JsonObject schema, string where, List<string> errors)
    {
        var exclusiveMin = schema["exclusiveMinimum"] is JsonValue em && em.GetValueKind() == JsonValueKind.True;
        var exclusiveMax = schema["exclusiveMaximum"] is JsonValue ex && ex.GetValueKind() == JsonValueKind.True;
        if (Number(schema, "minimum") is { } min && (exclusiveMin ? number <= min : number < min))
        {
            errors.Add($"{where}: below the minimum {min}");
        }

        if (Number(schema, "maximum") is { } max && (exclusiveMax ? number >= max : number > max))
        {
            errors.Add($"{where}: above the maximum {max}");
        }

        var format = (schema["format"] as JsonValue)?.GetValue<string>();
        if (format == "int32" && (number < int.MinValue || number > int.MaxValue))
        {
            errors.Add($"{where}: {number} does not fit int32");
        }
    }

    private static void ValidateArray(JsonArray array, JsonObject schema, string path, List<string> errors)
    {
        var where = path.Length == 0 ? "<root>" : path;
        if (Number(schema, "minItems") is { } min && array.Count < min)
        {
            errors.Add($"{where}: fewer than {min} items");
        }

        if (Number(schema, "maxItems") is { } max && array.Count > max)
        {
            errors.Add($"{where}: more than {max} items");
        }

        if (schema["items"] is JsonObject items)
        {
            for (var index = 0; index < array.Count; index++)
            {
                Validate(array[index], items, $"{path}[{index}]", errors);
            }
        }

        var listType = (schema["x-kubernetes-list-type"] as JsonValue)?.GetValue<string>();
        Func<JsonNode?, string>? identity = listType switch
        {
            "set" => item => item?.ToJsonString() ?? "null",
            "map" when schema["x-kubernetes-list-map-keys"] is JsonArray keys =>
                item => string.Join("\u0000", keys.Select(k => item?[k!.GetValue<string>()]?.ToJsonString() ?? "null")),
            _ => null,
        };
        if (identity is not null)
        {
            foreach (var duplicate in array.GroupBy(identity).Where(g => g.Count() > 1))
            {
                errors.Add($"{where}: duplicate entry {duplicate.Key.Replace('\u0000', ',')} in a list of type {listType}");
            }
        }
    }

    private static void ValidateObject(JsonObject obj, JsonObject schema, string path, bool preserveUnknown, List<string> errors)
    {
        var where = path.Length == 0 ? "<root>" : path;
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()).Where(r => !obj.ContainsKey(r)))
            {
                errors.Add($"{where}: required field {name} is missing");
            }
        }

        if (Number(schema, "minProperties") is { } min && obj.Count < min)
        {
            errors.Add($"{where}: fewer than {min} properties");
        }

        if (Number(schema, "maxProperties") is { } max && obj.Count > max)
        {
            errors.Add($"{where}: more than {max} properties");
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (name, child) in obj)
        {
            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            if (properties?[name] is JsonObject childSchema)
            {
                Validate(child, childSchema, childPath, errors);
            }
            else if (additional is not null)
            {
                Validate(child, additional, childPath, errors);
            }
            else if (!preserveUnknown)
            {
                errors.Add($"{childPath}: unknown field");
            }
        }
    }

    private static bool IsInteger(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.Number && value.GetValue<double>() is var d && Math.Floor(d) == d && !double.IsInfinity(d);

    private static double? Number(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;
}
