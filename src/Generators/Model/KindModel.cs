namespace Kollect.Generators.Model;

/// <summary>One served version of one CRD kind: names from <c>spec.names</c> and the schema.</summary>
internal sealed record KindModel
{
    /// <summary>Path of the CRD file, used in the KollectKinds listing only for diagnostics.</summary>
    public string FilePath { get; init; } = string.Empty;

    public string Group { get; init; } = string.Empty;

    public string Version { get; init; } = string.Empty;

    public string Kind { get; init; } = string.Empty;

    public string Plural { get; init; } = string.Empty;

    public string Singular { get; init; } = string.Empty;

    public string ListKind { get; init; } = string.Empty;

    public EquatableArray<string> ShortNames { get; init; }

    public EquatableArray<string> Categories { get; init; }

    public bool Namespaced { get; init; }

    /// <summary>C# namespace of the generated types, e.g. <c>Kollect.Api.V1Alpha1</c>.</summary>
    public string Namespace { get; init; } = string.Empty;

    /// <summary>The version's <c>schema.openAPIV3Schema</c>; its type name is the kind.</summary>
    public SchemaNode Root { get; init; } = new();

    /// <summary>Every generated type name of this kind, for cross-kind collision checks.</summary>
    public EquatableArray<string> TypeNames { get; init; }

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    public string HintName => Group + "." + Version + "." + Kind + ".g.cs";
}
