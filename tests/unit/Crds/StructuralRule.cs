namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// The rules kube-apiserver applies to a CRD's <c>openAPIV3Schema</c> (apiextensions validation and
/// structural-schema invariants) that <see cref="StructuralSchemaChecker"/> encodes.
/// </summary>
public enum StructuralRule
{
    /// <summary>A schema node must be a mapping.</summary>
    SchemaMustBeMapping,

    /// <summary>Only JSONSchemaProps keywords exist; anything else fails strict decoding.</summary>
    UnknownKeyword,

    /// <summary>$ref, definitions, dependencies, patternProperties, additionalItems, id and $schema are not supported.</summary>
    UnsupportedKeyword,

    /// <summary>uniqueItems: true is forbidden (quadratic); use x-kubernetes-list-type: set.</summary>
    UniqueItems,

    /// <summary>Every node needs a type unless it is int-or-string or preserves unknown fields.</summary>
    TypeRequired,

    /// <summary>type is one of array, boolean, integer, number, object, string.</summary>
    TypeInvalid,

    /// <summary>The root is type object.</summary>
    RootMustBeObject,

    /// <summary>An array node must specify items.</summary>
    ArrayNeedsItems,

    /// <summary>items is a single schema, not a list of schemas.</summary>
    ItemsMustBeSchema,

    /// <summary>additionalProperties and properties are mutually exclusive.</summary>
    PropertiesWithAdditionalProperties,

    /// <summary>additionalProperties is not allowed at the root.</summary>
    AdditionalPropertiesAtRoot,

    /// <summary>additionalProperties must be a schema (false is not structural).</summary>
    AdditionalPropertiesMustBeSchema,

    /// <summary>x-kubernetes-preserve-unknown-fields must be true or absent.</summary>
    PreserveUnknownFieldsNotTrue,

    /// <summary>x-kubernetes-int-or-string excludes preserve-unknown-fields and embedded-resource.</summary>
    IntOrStringConflict,

    /// <summary>x-kubernetes-embedded-resource needs type object, no additionalProperties, and properties or preserve-unknown-fields.</summary>
    EmbeddedResourceShape,

    /// <summary>nullable cannot be true at the root.</summary>
    NullableAtRoot,

    /// <summary>With the status subresource only a few keywords are allowed at the root.</summary>
    RootKeywordNotAllowed,

    /// <summary>Root metadata may only restrict name and generateName.</summary>
    MetadataRestricted,

    /// <summary>Root apiVersion and kind are strings.</summary>
    TypeMetaMustBeString,

    /// <summary>No defaults in the root apiVersion, kind or metadata.</summary>
    DefaultInResourceMeta,

    /// <summary>A default must validate against its node and carry no unknown fields.</summary>
    DefaultInvalid,

    /// <summary>pattern must be a valid regular expression.</summary>
    InvalidPattern,

    /// <summary>x-kubernetes-list-type only on arrays, with value atomic, set or map.</summary>
    ListTypeInvalid,

    /// <summary>x-kubernetes-list-map-keys needs x-kubernetes-list-type: map.</summary>
    ListMapKeysWithoutMapType,

    /// <summary>A map list needs non-empty keys and object items.</summary>
    MapListShape,

    /// <summary>Each map key is a scalar item property, required or defaulted, listed once.</summary>
    MapListKey,

    /// <summary>Items of a set are scalars or atomic.</summary>
    SetItemsNotAtomic,

    /// <summary>Items of a set or map list cannot be nullable.</summary>
    ListItemsNullable,

    /// <summary>x-kubernetes-map-type only on objects, with value granular or atomic.</summary>
    MapTypeInvalid,

    /// <summary>Inside allOf/anyOf/oneOf/not: no type, description, default, additionalProperties, nullable, title, externalDocs or x-kubernetes-* structure keywords, and no metadata property.</summary>
    JunctorKeywordForbidden,

    /// <summary>A field or items used inside a junctor must also be specified outside it.</summary>
    JunctorFieldNotSpecified,
}
