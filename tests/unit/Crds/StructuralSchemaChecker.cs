using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// Checks a CRD version's <c>openAPIV3Schema</c> against the rules kube-apiserver enforces when the CRD
/// is created: the structural-schema invariants (a type on every node, logical junctors that only
/// validate, restricted root metadata) and the apiextensions schema validation around them
/// (unsupported keywords, list and map types, defaults). See <see cref="StructuralRule"/>.
/// </summary>
public static class StructuralSchemaChecker
{
    private static readonly HashSet<string> KnownKeywords =
    [
        "id", "$schema", "$ref", "description", "type", "format", "title", "default", "maximum", "exclusiveMaximum",
        "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems",
        "multipleOf", "enum", "maxProperties", "minProperties", "required", "items", "allOf", "oneOf", "anyOf", "not",
        "properties", "additionalProperties", "patternProperties", "dependencies", "additionalItems", "definitions",
        "externalDocs", "example", "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
        "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type",
        "x-kubernetes-validations",
    ];

    private static readonly string[] UnsupportedKeywords = ["$ref", "definitions", "dependencies", "patternProperties", "additionalItems", "id", "$schema"];

    private static readonly HashSet<string> ValidTypes = ["array", "boolean", "integer", "number", "object", "string"];

    // With the status subresource the root may only carry these (status validation is cut out of properties).
    private static readonly HashSet<string> RootKeywordsWithStatus =
    [
        "description", "type", "format", "title", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
        "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "required", "items",
        "properties", "externalDocs", "example", "x-kubernetes-preserve-unknown-fields",
    ];

    private static readonly string[] JunctorForbidden =
    [
        "type", "description", "default", "additionalProperties", "nullable", "title", "externalDocs",
        "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string",
        "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type",
    ];

    private enum Level
    {
        Root,
        Field,
        Item,
    }

    public static IReadOnlyList<SchemaViolation> Check(JsonObject root, bool statusSubresource)
    {
        var violations = new List<SchemaViolation>();
        if (statusSubresource)
        {
            foreach (var keyword in root.Select(p => p.Key).Where(k => !RootKeywordsWithStatus.Contains(k)))
            {
                violations.Add(new(string.Empty, StructuralRule.RootKeywordNotAllowed, $"{keyword} is not allowed at the root when the status subresource is enabled"));
            }
        }

        CheckNode(root, string.Empty, Level.Root, insideResourceMeta: false, violations);
        return violations;
    }

    private static void CheckNode(JsonNode? node, string pointer, Level level, bool insideResourceMeta, List<SchemaViolation> violations)
    {
        void Add(StructuralRule rule, string message, string? at = null) => violations.Add(new(at ?? pointer, rule, message));

        if (node is not JsonObject schema)
        {
            Add(StructuralRule.SchemaMustBeMapping, "a schema must be a mapping");
            return;
        }

        foreach (var keyword in schema.Select(p => p.Key))
        {
            if (UnsupportedKeywords.Contains(keyword))
            {
                Add(StructuralRule.UnsupportedKeyword, $"{keyword} is not supported in CRD schemas");
            }
            else if (!KnownKeywords.Contains(keyword))
            {
                Add(StructuralRule.UnknownKeyword, $"{keyword} is not an OpenAPI v3 schema keyword the API server accepts");
            }
        }

        if (IsTrue(schema, "uniqueItems"))
        {
            Add(StructuralRule.UniqueItems, "uniqueItems: true is forbidden; use x-kubernetes-list-type: set");
        }

        var type = Text(schema, "type");
        var preserve = IsTrue(schema, "x-kubernetes-preserve-unknown-fields");
        var intOrString = IsTrue(schema, "x-kubernetes-int-or-string");
        var embedded = IsTrue(schema, "x-kubernetes-embedded-resource");
        CheckType(schema, type, level, preserve, intOrString, embedded, Add);
        CheckExtensions(schema, type, level, preserve, intOrString, embedded, Add);
        CheckListAndMapTypes(schema, type, Add);

        if (Text(schema, "pattern") is { } pattern && !IsValidPattern(pattern))
        {
            Add(StructuralRule.InvalidPattern, $"pattern {pattern} is not a valid regular expression");
        }

        if (schema.ContainsKey("default"))
        {
            if (insideResourceMeta)
            {
                Add(StructuralRule.DefaultInResourceMeta, "defaults are not allowed in the root apiVersion, kind or metadata");
            }
            else
            {
                foreach (var error in SchemaValueValidator.Validate(schema["default"], schema))
                {
                    Add(StructuralRule.DefaultInvalid, $"default {schema["default"]?.ToJsonString()} is invalid: {error}");
                }
            }
        }

        foreach (var junctor in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (schema[junctor] is not JsonArray branches || (junctor == "anyOf" && intOrString && IsIntegerOrStringPair(branches)))
            {
                continue;
            }

            for (var index = 0; index < branches.Count; index++)
            {
                var branch = branches[index];
                if (junctor == "allOf" && index == 0 && intOrString && branch is JsonObject first && IsIntegerOrStringPair(first["anyOf"]))
                {
                    branch = new JsonObject(first.Where(p => p.Key != "anyOf").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
                }

                CheckJunctorBranch(branch, schema, $"{pointer}/{junctor}/{index}", junctor == "allOf", violations);
            }
        }

        if (schema.ContainsKey("not"))
        {
            CheckJunctorBranch(schema["not"], schema, $"{pointer}/not", allowValidations: false, violations);
        }

        if (level == Level.Root)
        {
            CheckRootTypeMeta(schema, pointer, violations);
        }

        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                var childPointer = $"{pointer}/properties/{JsonPointer.Escape(name)}";
                var meta = level == Level.Root && name is "metadata" or "apiVersion" or "kind";
                if (level == Level.Root && name == "metadata")
                {
                    CheckRootMetadata(child, childPointer, violations);
                }

                CheckNode(child, childPointer, Level.Field, insideResourceMeta || meta, violations);
            }
        }

        if (schema["items"] is JsonArray)
        {
            Add(StructuralRule.ItemsMustBeSchema, "items must be a single schema, not a list");
        }
        else if (schema.ContainsKey("items"))
        {
            CheckNode(schema["items"], $"{pointer}/items", Level.Item, insideResourceMeta, violations);
        }

        if (schema.ContainsKey("additionalProperties"))
        {
            CheckAdditionalProperties(schema, pointer, level, insideResourceMeta, violations);
        }
    }

    private static void CheckType(JsonObject schema, string? type, Level level, bool preserve, bool intOrString, bool embedded, Action<StructuralRule, string, string?> add)
    {
        if (type is null)
        {
            if (schema.ContainsKey("type"))
            {
                add(StructuralRule.TypeInvalid, "type must be a string", null);
            }
            else if (!preserve && !intOrString && !embedded)
            {
                var where = level switch
                {
                    Level.Root => "at the root",
                    Level.Item => "for array items",
                    _ => "for object fields",
                };
                add(StructuralRule.TypeRequired, $"type must not be empty {where} (only int-or-string and preserve-unknown-fields nodes may omit it)", null);
            }
        }
        else if (!ValidTypes.Contains(type))
        {
            add(StructuralRule.TypeInvalid, $"type {type} is not one of {string.Join(", ", ValidTypes.Order(StringComparer.Ordinal))}", null);
        }

        if (level == Level.Root && type is not null && type != "object")
        {
            add(StructuralRule.RootMustBeObject, $"the root must be type object, not {type}", null);
        }

        if (type == "array" && !schema.ContainsKey("items"))
        {
            add(StructuralRule.ArrayNeedsItems, "an array must specify items", null);
        }
    }

    private static void CheckExtensions(JsonObject schema, string? type, Level level, bool preserve, bool intOrString, bool embedded, Action<StructuralRule, string, string?> add)
    {
        if (schema.ContainsKey("x-kubernetes-preserve-unknown-fields") && !preserve)
        {
            add(StructuralRule.PreserveUnknownFieldsNotTrue, "x-kubernetes-preserve-unknown-fields must be true or absent", null);
        }

        if (intOrString && (preserve || embedded))
        {
            add(StructuralRule.IntOrStringConflict, "x-kubernetes-int-or-string excludes preserve-unknown-fields and embedded-resource", null);
        }

        if (embedded && (type != "object" || schema.ContainsKey("additionalProperties") || (!preserve && schema["properties"] is not JsonObject { Count: > 0 })))
        {
            add(StructuralRule.EmbeddedResourceShape, "an embedded resource needs type object, no additionalProperties, and properties or preserve-unknown-fields", null);
        }

        if (level == Level.Root && IsTrue(schema, "nullable"))
        {
            add(StructuralRule.NullableAtRoot, "nullable cannot be true at the root", null);
        }
    }

    private static void CheckListAndMapTypes(JsonObject schema, string? type, Action<StructuralRule, string, string?> add)
    {
        var listType = Text(schema, "x-kubernetes-list-type");
        var mapKeys = (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => (k as JsonValue)?.GetValue<string>() ?? string.Empty).ToList() ?? [];
        var items = schema["items"] as JsonObject;

        if (schema.ContainsKey("x-kubernetes-list-type"))
        {
            if (type != "array")
            {
                add(StructuralRule.ListTypeInvalid, "x-kubernetes-list-type is only allowed on arrays", null);
            }

            if (listType is not ("atomic" or "set" or "map"))
            {
                add(StructuralRule.ListTypeInvalid, $"x-kubernetes-list-type must be atomic, set or map, not {schema["x-kubernetes-list-type"]?.ToJsonString()}", null);
            }
        }

        if (mapKeys.Count > 0 && listType != "map")
        {
            add(StructuralRule.ListMapKeysWithoutMapType, "x-kubernetes-list-map-keys needs x-kubernetes-list-type: map", null);
        }

        if (listType is "set" or "map" && items is not null && IsTrue(items, "nullable"))
        {
            add(StructuralRule.ListItemsNullable, $"items of a {listType} list cannot be nullable", null);
        }

        if (listType == "set" && items is not null)
        {
            var itemType = Text(items, "type");
            if ((itemType == "array" && Text(items, "x-kubernetes-list-type") is { } inner && inner != "atomic")
                || (itemType == "object" && Text(items, "x-kubernetes-map-type") != "atomic"))
            {
                add(StructuralRule.SetItemsNotAtomic, "items of a set must be scalars, atomic lists or atomic maps", null);
            }
        }

        if (listType == "map")
        {
            CheckMapList(mapKeys, items, add);
        }

        if (schema.ContainsKey("x-kubernetes-map-type"))
        {
            if (type != "object")
            {
                add(StructuralRule.MapTypeInvalid, "x-kubernetes-map-type is only allowed on objects", null);
            }

            if (Text(schema, "x-kubernetes-map-type") is not ("granular" or "atomic"))
            {
                add(StructuralRule.MapTypeInvalid, "x-kubernetes-map-type must be granular or atomic", null);
            }
        }
    }

    private static void CheckMapList(List<string> mapKeys, JsonObject? items, Action<StructuralRule, string, string?> add)
    {
        if (mapKeys.Count == 0)
        {
            add(StructuralRule.MapListShape, "a list of type map needs x-kubernetes-list-map-keys", null);
        }

        if (items is null || Text(items, "type") != "object")
        {
            add(StructuralRule.MapListShape, "items of a list of type map must be type object", null);
            return;
        }

        var required = (items["required"] as JsonArray)?.Select(r => (r as JsonValue)?.GetValue<string>()).ToHashSet() ?? [];
        foreach (var key in mapKeys.GroupBy(k => k))
        {
            if (key.Count() > 1)
            {
                add(StructuralRule.MapListKey, $"map key {key.Key} is listed more than once", null);
            }

            if (items["properties"]?[key.Key] is not JsonObject keySchema)
            {
                add(StructuralRule.MapListKey, $"map key {key.Key} is not a property of the items", null);
                continue;
            }

            if (Text(keySchema, "type") is "array" or "object")
            {
                add(StructuralRule.MapListKey, $"map key {key.Key} must be a scalar", null);
            }

            if (!required.Contains(key.Key) && !keySchema.ContainsKey("default"))
            {
                add(StructuralRule.MapListKey, $"map key {key.Key} must be required or have a default", null);
            }
        }
    }

    private static void CheckAdditionalProperties(JsonObject schema, string pointer, Level level, bool insideResourceMeta, List<SchemaViolation> violations)
    {
        var additional = schema["additionalProperties"];
        if (level == Level.Root)
        {
            violations.Add(new(pointer, StructuralRule.AdditionalPropertiesAtRoot, "additionalProperties is not allowed at the root"));
        }

        if (schema["properties"] is JsonObject { Count: > 0 })
        {
            violations.Add(new(pointer, StructuralRule.PropertiesWithAdditionalProperties, "properties and additionalProperties are mutually exclusive"));
        }

        if (additional is JsonObject)
        {
            CheckNode(additional, $"{pointer}/additionalProperties", Level.Field, insideResourceMeta, violations);
        }
        else
        {
            violations.Add(new(pointer, StructuralRule.AdditionalPropertiesMustBeSchema, "additionalProperties must be a schema"));
        }
    }

    // Root metadata is implicitly ObjectMeta: a schema may only restrict name and generateName.
    private static void CheckRootMetadata(JsonNode? node, string pointer, List<SchemaViolation> violations)
    {
        if (node is not JsonObject metadata)
        {
            return;
        }

        if (Text(metadata, "type") != "object")
        {
            violations.Add(new(pointer, StructuralRule.MetadataRestricted, "metadata must be type object"));
        }

        foreach (var keyword in metadata.Select(p => p.Key).Where(k => k is not ("type" or "properties")))
        {
            violations.Add(new(pointer, StructuralRule.MetadataRestricted, $"metadata may only restrict name and generateName, but sets {keyword}"));
        }

        foreach (var name in (metadata["properties"] as JsonObject)?.Select(p => p.Key).Where(n => n is not ("name" or "generateName")) ?? [])
        {
            violations.Add(new(pointer, StructuralRule.MetadataRestricted, $"metadata may only restrict name and generateName, but specifies {name}"));
        }
    }

    private static void CheckRootTypeMeta(JsonObject root, string pointer, List<SchemaViolation> violations)
    {
        foreach (var name in new[] { "apiVersion", "kind" })
        {
            if (root["properties"]?[name] is JsonObject field && Text(field, "type") != "string")
            {
                violations.Add(new($"{pointer}/properties/{name}", StructuralRule.TypeMetaMustBeString, $"{name} must be type string"));
            }
        }
    }

    // Junctor branches may only validate: every field they mention must exist outside them, and they
    // must not change the structure (type, defaults, pruning, list/map semantics).
    private static void CheckJunctorBranch(JsonNode? node, JsonObject? outer, string pointer, bool allowValidations, List<SchemaViolation> violations)
    {
        if (node is not JsonObject branch)
        {
            violations.Add(new(pointer, StructuralRule.SchemaMustBeMapping, "a schema must be a mapping"));
            return;
        }

        foreach (var keyword in JunctorForbidden.Where(branch.ContainsKey))
        {
            violations.Add(new(pointer, StructuralRule.JunctorKeywordForbidden, $"{keyword} must not be set inside allOf, anyOf, oneOf or not"));
        }

        if (!allowValidations && branch.ContainsKey("x-kubernetes-validations"))
        {
            violations.Add(new(pointer, StructuralRule.JunctorKeywordForbidden, "x-kubernetes-validations is only allowed inside allOf"));
        }

        if (branch["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                var childPointer = $"{pointer}/properties/{JsonPointer.Escape(name)}";
                if (name == "metadata")
                {
                    violations.Add(new(childPointer, StructuralRule.JunctorKeywordForbidden, "metadata must not be specified inside a junctor"));
                }

                var outerChild = outer?["properties"]?[name] as JsonObject;
                if (outerChild is null && outer?["additionalProperties"] is not JsonObject)
                {
                    violations.Add(new(childPointer, StructuralRule.JunctorFieldNotSpecified, $"field {name} is used inside a junctor but not specified outside it"));
                }

                CheckJunctorBranch(child, outerChild ?? outer?["additionalProperties"] as JsonObject, childPointer, allowValidations, violations);
            }
        }

        if (branch.ContainsKey("items"))
        {
            var outerItems = outer?["items"] as JsonObject;
            if (outerItems is null)
            {
                violations.Add(new($"{pointer}/items", StructuralRule.JunctorFieldNotSpecified, "items are used inside a junctor but not specified outside it"));
            }

            CheckJunctorBranch(branch["items"], outerItems, $"{pointer}/items", allowValidations, violations);
        }

        foreach (var junctor in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (branch[junctor] is JsonArray nested)
            {
                for (var index = 0; index < nested.Count; index++)
                {
                    CheckJunctorBranch(nested[index], outer, $"{pointer}/{junctor}/{index}", allowValidations && junctor == "allOf", violations);
                }
            }
        }

        if (branch.ContainsKey("not"))
        {
            CheckJunctorBranch(branch["not"], outer, $"{pointer}/not", allowValidations: false, violations);
        }
    }

    // The two int-or-string shapes the API server accepts on a node with x-kubernetes-int-or-string:
    // anyOf [integer, string], or that anyOf as the first allOf branch.
    private static bool IsIntegerOrStringPair(JsonNode? anyOf) =>
        anyOf is JsonArray { Count: 2 } pair
        && JsonNode.DeepEquals(pair[0], new JsonObject { ["type"] = "integer" })
        && JsonNode.DeepEquals(pair[1], new JsonObject { ["type"] = "string" });

    private static bool IsValidPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool IsTrue(JsonObject schema, string keyword) => schema[keyword] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    private static string? Text(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
