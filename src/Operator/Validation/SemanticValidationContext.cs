using System.Text.Json;

namespace Kollect.Operator.Validation;

/// <summary>What a semantic rule sees: the kind, the whole (defaulted) object, the options, and where to report.</summary>
public sealed class SemanticValidationContext(string kind, bool namespaced, JsonElement obj, SemanticValidationOptions options, ValidationReport report)
{
    /// <summary>The object's <c>kind</c>, e.g. <c>KollectEventSink</c>.</summary>
    public string Kind { get; } = kind;

    /// <summary>Whether the kind is namespaced (from the CRD's scope).</summary>
    public bool Namespaced { get; } = namespaced;

    /// <summary>The whole object (apiVersion, kind, metadata, spec) after schema defaults were applied.</summary>
    public JsonElement Object { get; } = obj;

    public SemanticValidationOptions Options { get; } = options;

    public ValidationReport Report { get; } = report;

    /// <summary><c>spec</c>, or an undefined element when the object has none.</summary>
    public JsonElement Spec => JsonFields.Get(Object, "spec");

    /// <summary><c>metadata.namespace</c>, or null.</summary>
    /// <summary>
    /// The object read into its generated model; null when it does not fit the type (its schema
    /// errors already name the fields), so typed rules then check nothing.
    /// </summary>
    public T? Read<T>(System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(type);

        // Read once per object: several rules (the sink rule, the endpoint guard) look at one kind.
        if (_read.TryGetValue(type, out var cached))
        {
            return (T?)cached;
        }

        T? read;
        try
        {
            read = Object.Deserialize(type);
        }
        catch (JsonException)
        {
            read = null;
        }

        _read[type] = read;
        return read;
    }

    private readonly Dictionary<System.Text.Json.Serialization.Metadata.JsonTypeInfo, object?> _read = [];

    public string? Namespace => JsonFields.GetString(JsonFields.Get(Object, "metadata"), "namespace");
}
