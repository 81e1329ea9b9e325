namespace Kollect.Generators.Model;

/// <summary>What a schema node becomes in C#; decided by the parser from the OpenAPI keywords.</summary>
internal enum SchemaKind
{
    /// <summary>An object with declared properties: a generated class.</summary>
    Object,

    /// <summary>An object with <c>additionalProperties</c>: a dictionary.</summary>
    Map,

    /// <summary>An array: a list.</summary>
    Array,

    String,
    Integer,
    Number,
    Boolean,

    /// <summary><c>x-kubernetes-int-or-string</c>.</summary>
    IntOrString,

    /// <summary><c>x-kubernetes-preserve-unknown-fields</c> without a type: any JSON.</summary>
    Any,
}
