using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kollect.Api;

/// <summary>
/// Everything the operator and the CLI need to know about one kind of the Kollect API: its
/// group/version/kind and resource names exactly as the CRD in <c>crds/</c> declares them, and the
/// schema validation and defaulting generated from that CRD (SPEC §2). Instances are generated.
/// </summary>
public sealed class KollectKind
{
    private readonly Action<JsonElement, ICollection<FieldError>> _validate;
    private readonly Action<JsonObject> _applyDefaults;

    internal KollectKind(
        string group,
        string version,
        string kind,
        string plural,
        string singular,
        string listKind,
        IReadOnlyList<string> shortNames,
        IReadOnlyList<string> categories,
        bool namespaced,
        Type clrType,
        Type listClrType,
        Action<JsonElement, ICollection<FieldError>> validate,
        Action<JsonObject> applyDefaults)
    {
        Group = group;
        Version = version;
        ApiVersion = group.Length == 0 ? version : group + "/" + version;
        Kind = kind;
        Plural = plural;
        Singular = singular;
        ListKind = listKind;
        ShortNames = shortNames;
        Categories = categories;
        Namespaced = namespaced;
        ClrType = clrType;
        ListClrType = listClrType;
        _validate = validate;
        _applyDefaults = applyDefaults;
    }

    /// <summary>API group, for example <c>kollect.dev</c>.</summary>
    public string Group { get; }

    /// <summary>API version within the group, for example <c>v1alpha1</c>.</summary>
    public string Version { get; }

    /// <summary>The <c>apiVersion</c> field value, for example <c>kollect.dev/v1alpha1</c>.</summary>
    public string ApiVersion { get; }

    /// <summary>The kind, for example <c>KollectEventSink</c>.</summary>
    public string Kind { get; }

    /// <summary>The resource name used in URLs (<c>spec.names.plural</c>).</summary>
    public string Plural { get; }

    /// <summary><c>spec.names.singular</c>.</summary>
    public string Singular { get; }

    /// <summary><c>spec.names.listKind</c>.</summary>
    public string ListKind { get; }

    /// <summary><c>spec.names.shortNames</c>.</summary>
    public IReadOnlyList<string> ShortNames { get; }

    /// <summary><c>spec.names.categories</c>.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>True when the CRD's scope is <c>Namespaced</c>.</summary>
    public bool Namespaced { get; }

    /// <summary>The generated model type of one object of this kind.</summary>
    public Type ClrType { get; }

    /// <summary>The generated model type of a list of this kind.</summary>
    public Type ListClrType { get; }

    /// <summary>
    /// Validates a whole object (apiVersion, kind, metadata basics, spec and status) against the
    /// CRD schema, adding one <see cref="FieldError"/> per problem. Unknown fields are errors,
    /// except where the schema preserves unknown fields and inside Kubernetes-owned metadata.
    /// </summary>
    public void Validate(JsonElement obj, ICollection<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        _validate(obj, errors);
    }

    /// <summary>
    /// Applies the CRD schema defaults in place, as kube-apiserver does: only to absent fields of
    /// objects that are present, recursively, including inside array items and applied defaults.
    /// </summary>
    public void ApplyDefaults(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        _applyDefaults(obj);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}.{Version}.{Group}";
}
