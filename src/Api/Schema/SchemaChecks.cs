using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kollect.Api.Schema;

/// <summary>
/// The checks that generated validators call, one per OpenAPI keyword, with messages worded like
/// kube-apiserver's so a manifest reads the same rejection here and in the cluster (SPEC §2).
/// The walk over the schema itself is generated code; this class holds only leaf checks.
/// </summary>
internal static class SchemaChecks
{
    public const string RequiredValue = "Required value";
    public const string UnknownField = "field not declared in schema";

    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Key(string path, string key) => path + "[" + key + "]";

    /// <summary>The OpenAPI type name of a JSON value, integers told apart from other numbers.</summary>
    public static string TypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        _ => "null",
    };

    /// <summary>Checks the OpenAPI <c>type</c>; an integer also counts as a number.</summary>
    public static bool IsType(JsonElement value, string expected, string path, ICollection<FieldError> errors)
    {
        var actual = TypeName(value);
        if (actual == expected || (expected == "number" && actual == "integer"))
        {
            return true;
        }

        errors.Add(new FieldError(path, $"Invalid value: \"{actual}\": {path} in body must be of type {expected}"));
        return false;
    }

    /// <summary><c>apiVersion</c> and <c>kind</c>: a string with exactly this value.</summary>
    public static void CheckConstant(JsonElement value, string expected, string path, ICollection<FieldError> errors)
    {
        if (IsType(value, "string", path, errors) && value.GetString() != expected)
        {
            errors.Add(new FieldError(path, $"Unsupported value: {Quote(value.GetString()!)}: supported values: {Quote(expected)}"));
        }
    }

    /// <summary>
    /// The basics of <c>metadata</c>: a name (or generateName), string namespace, string maps of
    /// labels and annotations. Kubernetes owns the rest of metadata, so other fields are allowed.
    /// </summary>
    public static void CheckObjectMeta(JsonElement value, string path, ICollection<FieldError> errors)
    {
        if (!IsType(value, "object", path, errors))
        {
            return;
        }

        var hasName = false;
        foreach (var property in value.EnumerateObject())
        {
            var fieldPath = Join(path, property.Name);
            var field = property.Value;
            switch (property.Name)
            {
                case "name" or "generateName":
                    if (IsType(field, "string", fieldPath, errors) && field.GetString()!.Length > 0)
                    {
                        hasName = true;
                    }

                    break;
                case "namespace" or "uid" or "resourceVersion":
                    IsType(field, "string", fieldPath, errors);
                    break;
                case "generation":
                    IsType(field, "integer", fieldPath, errors);
                    break;
                case "labels" or "annotations":
                    if (IsType(field, "object", fieldPath, errors))
                    {
                        foreach (var entry in field.EnumerateObject())
                        {
                            IsType(entry.Value, "string", Key(fieldPath, entry.Name), errors);
                        }
                    }

                    break;
                case "finalizers":
                    if (IsType(field, "array", fieldPath, errors))
                    {
                        var index = 0;
                        foreach (var item in field.EnumerateArray())
                        {
                            IsType(item, "string", Index(fieldPath, index++), errors);
                        }
                    }

                    break;
            }
        }

        if (!hasName)
        {
            errors.Add(new FieldError(Join(path, "name"), RequiredValue + ": name or generateName is required"));
        }
    }

    /// <summary><c>x-kubernetes-int-or-string</c>: an integer or a string.</summary>
    public static void CheckIntOrString(JsonElement value, string path, ICollection<FieldError> errors)
    {
        var actual = TypeName(value);
        if (actual is not ("integer" or "string"))
        {
            errors.Add(new FieldError(path, $"Invalid value: \"{actual}\": {path} in body must be of type integer or string"));
        }
    }

    public static void CheckEnum(JsonElement value, string[] allowedJson, string path, ICollection<FieldError> errors)
    {
        var actual = Canonical(value);
        foreach (var allowed in allowedJson)
        {
            if (allowed == actual)
            {
                return;
            }
        }

        errors.Add(new FieldError(path, $"Unsupported value: {actual}: supported values: {string.Join(", ", allowedJson)}"));
    }

    public static void CheckPattern(JsonElement value, Regex regex, string path, ICollection<FieldError> errors)
    {
        var text = value.GetString()!;
        if (!regex.IsMatch(text))
        {
            errors.Add(new FieldError(path, $"Invalid value: {Quote(text)}: {path} in body should match '{regex}'"));
        }
    }

    public static void CheckMinLength(JsonElement value, int minimum, string path, ICollection<FieldError> errors)
    {
        var text = value.GetString()!;
        if (RuneCount(text) < minimum)
        {
            errors.Add(new FieldError(path, $"Invalid value: {Quote(text)}: {path} in body should be at least {minimum} chars long"));
        }
    }

    public static void CheckMaxLength(JsonElement value, int maximum, string path, ICollection<FieldError> errors)
    {
        var text = value.GetString()!;
        if (RuneCount(text) > maximum)
        {
            errors.Add(new FieldError(path, $"Too long: may not be more than {maximum} bytes"));
        }
    }

    public static void CheckMinimum(JsonElement value, double minimum, bool exclusive, string path, ICollection<FieldError> errors)
    {
        var number = value.GetDouble();
        if (exclusive ? number <= minimum : number < minimum)
        {
            var relation = exclusive ? "greater than" : "greater than or equal to";
            errors.Add(new FieldError(path, $"Invalid value: {value.GetRawText()}: {path} in body should be {relation} {FormatNumber(minimum)}"));
        }
    }

    public static void CheckMaximum(JsonElement value, double maximum, bool exclusive, string path, ICollection<FieldError> errors)
    {
        var number = value.GetDouble();
        if (exclusive ? number >= maximum : number > maximum)
        {
            var relation = exclusive ? "less than" : "less than or equal to";
            errors.Add(new FieldError(path, $"Invalid value: {value.GetRawText()}: {path} in body should be {relation} {FormatNumber(maximum)}"));
        }
    }

    public static void CheckMinItems(JsonElement value, int minimum, string path, ICollection<FieldError> errors)
    {
        var count = value.GetArrayLength();
        if (count < minimum)
        {
            errors.Add(new FieldError(path, $"Invalid value: {count}: {path} in body should have at least {minimum} items"));
        }
    }

    public static void CheckMaxItems(JsonElement value, int maximum, string path, ICollection<FieldError> errors)
    {
        var count = value.GetArrayLength();
        if (count > maximum)
        {
            errors.Add(new FieldError(path, $"Too many: {count}: must have at most {maximum} items"));
        }
    }

    public static void CheckMinProperties(JsonElement value, int minimum, string path, ICollection<FieldError> errors)
    {
        var count = value.EnumerateObject().Count();
        if (count < minimum)
        {
            errors.Add(new FieldError(path, $"Invalid value: {count}: {path} in body should have at least {minimum} properties"));
        }
    }

    public static void CheckMaxProperties(JsonElement value, int maximum, string path, ICollection<FieldError> errors)
    {
        var count = value.EnumerateObject().Count();
        if (count > maximum)
        {
            errors.Add(new FieldError(path, $"Too many: {count}: must have at most {maximum} items"));
        }
    }

    /// <summary>The OpenAPI formats Kubernetes checks; others are accepted as plain strings or numbers.</summary>
    public static void CheckFormat(JsonElement value, string format, string path, ICollection<FieldError> errors)
    {
        var valid = format switch
        {
            "int32" => value.TryGetInt32(out _),
            "int64" => value.TryGetInt64(out _),
            "date-time" => IsDateTime(value.GetString()!),
            "byte" => IsBase64(value.GetString()!),
            _ => true,
        };
        if (!valid)
        {
            errors.Add(new FieldError(path, $"Invalid value: {Canonical(value)}: {path} in body must be of type {format}: {Canonical(value)}"));
        }
    }

    /// <summary>A Go duration string such as <c>30s</c> (well-known type <c>Duration</c>).</summary>
    public static void CheckDuration(JsonElement value, string path, ICollection<FieldError> errors)
    {
        var text = value.GetString();
        if (!Duration.TryParse(text, out _))
        {
            errors.Add(new FieldError(path, $"Invalid value: {Quote(text ?? string.Empty)}: {path} in body must be a duration such as \"30s\", \"1m30s\" or \"1h\""));
        }
    }

    /// <summary><c>x-kubernetes-list-type: set</c>: no item may repeat.</summary>
    public static void CheckSetUnique(JsonElement array, string path, ICollection<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var key = Canonical(item);
            if (!seen.Add(key))
            {
                errors.Add(new FieldError(Index(path, index), $"Duplicate value: {key}"));
            }

            index++;
        }
    }

    /// <summary><c>x-kubernetes-list-type: map</c>: no two items may share the values of the map keys.</summary>
    public static void CheckMapUnique(JsonElement array, string[] keys, string path, ICollection<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object)
            {
                var builder = new StringBuilder("{");
                foreach (var key in keys)
                {
                    if (builder.Length > 1)
                    {
                        builder.Append(',');
                    }

                    builder.Append(Quote(key)).Append(':');
                    builder.Append(item.TryGetProperty(key, out var keyValue) ? Canonical(keyValue) : "null");
                }

                var text = builder.Append('}').ToString();
                if (!seen.Add(text))
                {
                    errors.Add(new FieldError(Index(path, index), $"Duplicate value: {text}"));
                }
            }

            index++;
        }
    }

    /// <summary>Compact JSON of a value, used both for comparison and in messages.</summary>
    public static string Canonical(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.Object or JsonValueKind.Array => CompactJson(value),
        _ => value.GetRawText(),
    };

    private static string CompactJson(JsonElement value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Quotes a string as Go's <c>%q</c> does for printable text (see <see cref="QuotedText"/>).</summary>
    public static string Quote(string text) => QuotedText.Quote(text);

    private static string FormatNumber(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    private static int RuneCount(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static bool IsDateTime(string text) =>
        Rfc3339.IsMatch(text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    private static bool IsBase64(string text)
    {
        var buffer = new byte[((text.Length / 4) + 1) * 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static readonly Regex Rfc3339 = new(
        @"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
        RegexOptions.CultureInvariant);
}
