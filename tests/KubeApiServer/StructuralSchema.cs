using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// Walks a CRD's <c>openAPIV3Schema</c> at run time the way kube-apiserver treats structural
/// schemas: <see cref="ApplyDefaults"/>, then <see cref="Prune"/> (collecting unknown field
/// paths for <c>fieldValidation=Strict</c>), then <see cref="Validate"/>. Written independently of
/// the project's generator so the two can check each other. Not covered: CEL
/// (<c>x-kubernetes-validations</c>), <c>oneOf/anyOf/allOf/not</c>, most formats.
/// </summary>
public static class StructuralSchema
{
    private static readonly HashSet<string> RootKeptFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    /// <summary>Sets <c>default</c>s for absent fields, recursively (also inside array items and map values).</summary>
    public static void ApplyDefaults(JsonNode? value, JsonObject schema)
    {
        switch (value)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, propertySchemaNode) in properties)
                    {
                        if (propertySchemaNode is not JsonObject propertySchema)
                        {
                            continue;
                        }
                        var present = obj.TryGetPropertyValue(name, out var child);
                        if (propertySchema["default"] is { } defaultValue &&
                            (!present || (child is null && !IsTrue(propertySchema["nullable"]))))
                        {
                            obj[name] = defaultValue.DeepClone();
                        }
                        if (obj[name] is { } current)
                        {
                            ApplyDefaults(current, propertySchema);
                        }
                    }
                }
                if (schema["additionalProperties"] is JsonObject valueSchema)
                {
                    foreach (var (_, child) in obj.ToList())
                    {
                        ApplyDefaults(child, valueSchema);
                    }
                }
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                foreach (var item in array)
                {
                    ApplyDefaults(item, itemSchema);
                }
                break;
        }
    }

    /// <summary>
    /// Removes fields the schema does not declare (unless <c>x-kubernetes-preserve-unknown-fields</c>)
    /// and returns their paths (<c>spec.foo</c>) in document order.
    /// </summary>
    public static List<string> Prune(JsonObject root, JsonObject schema)
    {
        var unknown = new List<string>();
        PruneNode(root, schema, "", unknown, isRoot: true);
        return unknown;
    }

    /// <summary>Checks the object against the schema; an empty result means valid.</summary>
    public static List<FieldError> Validate(JsonObject root, JsonObject schema)
    {
        var errors = new List<FieldError>();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, propertySchema) in properties)
            {
                if (name is "metadata" or "apiVersion" or "kind" || propertySchema is not JsonObject ps)
                {
                    continue;
                }
                if (root.TryGetPropertyValue(name, out var child))
                {
                    ValidateNode(child, ps, name, errors);
                }
            }
        }
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => (string?)r))
            {
                if (name is not null && !root.ContainsKey(name))
                {
                    errors.Add(FieldError.Required(name));
                }
            }
        }
        return errors;
    }

    private static void PruneNode(JsonNode? value, JsonObject schema, string path, List<string> unknown, bool isRoot = false)
    {
        switch (value)
        {
            case JsonObject obj:
            {
                var properties = schema["properties"] as JsonObject;
                var preserve = IsTrue(schema["x-kubernetes-preserve-unknown-fields"]);
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (name, child) in obj.ToList())
                {
                    var childPath = path.Length == 0 ? name : $"{path}.{name}";
                    if (isRoot && RootKeptFields.Contains(name))
                    {
                        continue;
                    }
                    if (properties?[name] is JsonObject childSchema)
                    {
                        PruneNode(child, childSchema, childPath, unknown);
                    }
                    else if (additional is not null)
                    {
                        PruneNode(child, additional, childPath, unknown);
                    }
                    else if (!preserve && !IsTrue(schema["additionalProperties"]))
                    {
                        obj.Remove(name);
                        unknown.Add(childPath);
                    }
                }
                break;
            }
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++)
                {
                    PruneNode(array[i], itemSchema, $"{path}[{i}]", unknown);
                }
                break;
        }
    }

    private static void ValidateNode(JsonNode? value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (value is null)
        {
            if (!IsTrue(schema["nullable"]))
            {
                var expected = (string?)schema["type"];
                if (expected is not null)
                {
                    errors.Add(new FieldError(path, "FieldValueTypeInvalid",
                        $"Invalid value: \"null\": {path} in body must be of type {expected}: \"null\""));
                }
            }
            return;
        }
        var actualType = TypeOf(value);
        if (IsTrue(schema["x-kubernetes-int-or-string"]))
        {
            if (actualType is not "integer" and not "string")
            {
                errors.Add(new FieldError(path, "FieldValueTypeInvalid",
                    $"Invalid value: \"{actualType}\": {path} in body must be of type integer or string: \"{actualType}\""));
                return;
            }
        }
        else if ((string?)schema["type"] is { } expectedType && !TypeMatches(actualType, expectedType))
        {
            errors.Add(new FieldError(path, "FieldValueTypeInvalid",
                $"Invalid value: \"{actualType}\": {path} in body must be of type {expectedType}: \"{actualType}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            errors.Add(FieldError.NotSupported(path, Render(value), allowed.Select(Render)));
        }

        switch (value)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, errors);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, errors);
                break;
            default:
                ValidateScalar((JsonValue)value, schema, path, errors);
                break;
        }
    }

    private static void ValidateObject(JsonObject obj, JsonObject schema, string path, List<FieldError> errors)
    {
        var properties = schema["properties"] as JsonObject;
        if (properties is not null)
        {
            foreach (var (name, childSchema) in properties)
            {
                if (childSchema is JsonObject cs && obj.TryGetPropertyValue(name, out var child))
                {
                    ValidateNode(child, cs, $"{path}.{name}", errors);
                }
            }
        }
        if (schema["additionalProperties"] is JsonObject valueSchema)
        {
            foreach (var (name, child) in obj)
            {
                if (properties?.ContainsKey(name) != true)
                {
                    ValidateNode(child, valueSchema, $"{path}.{name}", errors);
                }
            }
        }
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => (string?)r))
            {
                if (name is not null && !obj.ContainsKey(name))
                {
                    errors.Add(FieldError.Required($"{path}.{name}"));
                }
            }
        }
        if (Number(schema["maxProperties"]) is { } maxProperties && obj.Count > maxProperties)
        {
            errors.Add(FieldError.TooMany(path, obj.Count, (int)maxProperties));
        }
        if (Number(schema["minProperties"]) is { } minProperties && obj.Count < minProperties)
        {
            errors.Add(FieldError.Invalid(path, obj.Count.ToString(CultureInfo.InvariantCulture),
                $"{path} in body should have at least {minProperties} properties"));
        }
    }

    private static void ValidateArray(JsonArray array, JsonObject schema, string path, List<FieldError> errors)
    {
        if (Number(schema["maxItems"]) is { } maxItems && array.Count > maxItems)
        {
            errors.Add(FieldError.TooMany(path, array.Count, (int)maxItems));
        }
        if (Number(schema["minItems"]) is { } minItems && array.Count < minItems)
        {
            errors.Add(FieldError.Invalid(path, array.Count.ToString(CultureInfo.InvariantCulture),
                $"{path} in body should have at least {minItems} items"));
        }
        if (schema["items"] is JsonObject itemSchema)
        {
            for (var i = 0; i < array.Count; i++)
            {
                ValidateNode(array[i], itemSchema, $"{path}[{i}]", errors);
            }
        }
        switch ((string?)schema["x-kubernetes-list-type"])
        {
            case "set":
                for (var i = 0; i < array.Count; i++)
                {
                    if (array.Take(i).Any(earlier => JsonNode.DeepEquals(earlier, array[i])))
                    {
                        errors.Add(FieldError.Duplicate($"{path}[{i}]", Render(array[i])));
                    }
                }
                break;
            case "map":
                var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => (string)k!).ToList() ?? [];
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is not JsonObject item)
                    {
                        continue;
                    }
                    var keyValues = new JsonObject();
                    foreach (var key in keys)
                    {
                        keyValues[key] = item[key]?.DeepClone();
                    }
                    if (array.Take(i).OfType<JsonObject>().Any(earlier => keys.All(k => JsonNode.DeepEquals(earlier[k], item[k]))))
                    {
                        errors.Add(FieldError.Duplicate($"{path}[{i}]", Render(keyValues)));
                    }
                }
                break;
        }
    }

    private static void ValidateScalar(JsonValue value, JsonObject schema, string path, List<FieldError> errors)
    {
        if (value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            var rendered = Render(value);
            if (Number(schema["minLength"]) is { } minLength && text.Length < minLength)
            {
                errors.Add(FieldError.Invalid(path, rendered, $"{path} in body should be at least {minLength} chars long"));
            }
            if (Number(schema["maxLength"]) is { } maxLength && text.Length > maxLength)
            {
                errors.Add(new FieldError(path, "FieldValueTooLong", $"Too long: may not be more than {maxLength} bytes"));
            }
            if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern))
            {
                errors.Add(FieldError.Invalid(path, rendered, $"{path} in body should match '{pattern}'"));
            }
            if ((string?)schema["format"] is { } format && !FormatMatches(format, text))
            {
                errors.Add(FieldError.Invalid(path, rendered, $"{path} in body must be of type {format}: {rendered}"));
            }
            return;
        }
        if (value.GetValueKind() == JsonValueKind.Number)
        {
            var number = value.GetValue<double>();
            var rendered = value.ToJsonString();
            if (Number(schema["minimum"]) is { } minimum)
            {
                var exclusive = IsTrue(schema["exclusiveMinimum"]);
                if (exclusive ? number <= minimum : number < minimum)
                {
                    errors.Add(FieldError.Invalid(path, rendered,
                        $"{path} in body should be greater than {(exclusive ? "" : "or equal to ")}{Format(minimum)}"));
                }
            }
            if (Number(schema["maximum"]) is { } maximum)
            {
                var exclusive = IsTrue(schema["exclusiveMaximum"]);
                if (exclusive ? number >= maximum : number > maximum)
                {
                    errors.Add(FieldError.Invalid(path, rendered,
                        $"{path} in body should be less than {(exclusive ? "" : "or equal to ")}{Format(maximum)}"));
                }
            }
        }
    }

    private static bool FormatMatches(string format, string text) => format switch
    {
        "date-time" => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
        "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "duration" => Regex.IsMatch(text, @"^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^0$"),
        "uuid" => Guid.TryParse(text, out _),
        _ => true,
    };

    private static string TypeOf(JsonNode value) => value switch
    {
        JsonObject => "object",
        JsonArray => "array",
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsIntegral(value.AsValue()) ? "integer" : "number",
            _ => "null",
        },
    };

    private static bool TypeMatches(string actual, string expected) =>
        actual == expected || (expected == "number" && actual == "integer");

    private static bool IsIntegral(JsonValue value) =>
        value.TryGetValue<long>(out _) || (value.TryGetValue<double>(out var d) && Math.Floor(d) == d && !value.ToJsonString().Contains('.'));

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    private static bool IsTrue(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);

    /// <summary>Renders a value like Go's <c>%q</c>/<c>%v</c> in apimachinery messages.</summary>
    public static string Render(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.ToJsonString(KubeJson.Options),
        _ => value.ToJsonString(KubeJson.Options),
    };
}
