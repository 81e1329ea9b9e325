namespace Kollect.Generators.Model;

/// <summary>
/// One node of a CRD's OpenAPI v3 schema, reduced to what the emitters need. Only strings, numbers
/// and equatable arrays, so that pipeline steps compare by value (CONVENTIONS §2).
/// </summary>
internal sealed record SchemaNode
{
    /// <summary>JSON Pointer relative to the version's <c>schema.openAPIV3Schema</c>.</summary>
    public string Pointer { get; init; } = string.Empty;

    public SchemaKind Kind { get; init; }

    public WellKnownType WellKnown { get; init; }

    /// <summary>Generated C# type name of an object node or a string enum; also names its validator.</summary>
    public string? TypeName { get; init; }

    public string? Format { get; init; }

    public string? Description { get; init; }

    /// <summary>Declared properties, ordinal by JSON name.</summary>
    public EquatableArray<SchemaProperty> Properties { get; init; }

    public SchemaNode? Items { get; init; }

    public SchemaNode? AdditionalProperties { get; init; }

    /// <summary>Allowed values as compact JSON, in schema order.</summary>
    public EquatableArray<string> EnumJson { get; init; }

    /// <summary>C# members of a string enum, in schema order.</summary>
    public EquatableArray<EnumMember> EnumMembers { get; init; }

    public string? Pattern { get; init; }

    public double? Minimum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public double? Maximum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    public int? MinItems { get; init; }

    public int? MaxItems { get; init; }

    public int? MinProperties { get; init; }

    public int? MaxProperties { get; init; }

    /// <summary>The schema default as compact JSON.</summary>
    public string? DefaultJson { get; init; }

    public bool Nullable { get; init; }

    public bool PreserveUnknownFields { get; init; }

    /// <summary><c>x-kubernetes-list-type</c>: atomic, set or map.</summary>
    public string? ListType { get; init; }

    public EquatableArray<string> ListMapKeys { get; init; }
}
