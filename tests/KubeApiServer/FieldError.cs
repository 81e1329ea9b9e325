namespace Kollect.Testing.KubeApiServer;

/// <summary>
/// One validation failure at a field path, rendered like apimachinery's <c>field.Error</c>
/// (<c>spec.type: Unsupported value: "x": supported values: "kafka", "nats"</c>).
/// </summary>
public sealed record FieldError(string Field, string CauseType, string Detail)
{
    public string Describe() => Detail;

    public override string ToString() => $"{Field}: {Detail}";

    public static FieldError Required(string field) =>
        new(field, "FieldValueRequired", "Required value");

    public static FieldError TypeInvalid(string field, string valueText, string expected) =>
        new(field, "FieldValueTypeInvalid", $"Invalid value: {valueText}: {field} in body must be of type {expected}");

    public static FieldError NotSupported(string field, string valueText, IEnumerable<string> supported) =>
        new(field, "FieldValueNotSupported",
            $"Unsupported value: {valueText}: supported values: {string.Join(", ", supported)}");

    public static FieldError Invalid(string field, string valueText, string why) =>
        new(field, "FieldValueInvalid", $"Invalid value: {valueText}: {why}");

    public static FieldError Duplicate(string field, string valueText) =>
        new(field, "FieldValueDuplicate", $"Duplicate value: {valueText}");

    public static FieldError TooMany(string field, int actual, int max) =>
        new(field, "FieldValueTooMany", $"Too many: {actual}: must have at most {max} items");

    public static FieldError Unknown(string field) =>
        new(field, "FieldValueInvalid", $"unknown field \"{field}\"");
}
