using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// Proves <see cref="StructuralSchemaChecker"/> catches each rule it encodes, with small invalid schemas,
/// and accepts the valid shapes the API server accepts.
/// </summary>
public sealed class StructuralSchemaCheckerTests
{
    public static TheoryData<StructuralRule, string, string> InvalidSchemas() => new()
    {
        { StructuralRule.SchemaMustBeMapping, "/properties/a", """{"type":"object","properties":{"a":"string"}}""" },
        { StructuralRule.UnknownKeyword, "/properties/a", """{"type":"object","properties":{"a":{"type":"string","examples":["x"]}}}""" },
        { StructuralRule.UnsupportedKeyword, "/properties/a", """{"type":"object","properties":{"a":{"$ref":"#/definitions/x"}}}""" },
        { StructuralRule.UnsupportedKeyword, "/properties/a", """{"type":"object","properties":{"a":{"type":"object","patternProperties":{"^x":{"type":"string"}}}}}""" },
        { StructuralRule.UnsupportedKeyword, "/properties/a", """{"type":"object","properties":{"a":{"type":"object","definitions":{"x":{"type":"string"}}}}}""" },
        { StructuralRule.UnsupportedKeyword, "/properties/a", """{"type":"object","properties":{"a":{"type":"object","dependencies":{"x":["y"]}}}}""" },
        { StructuralRule.UniqueItems, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"string"},"uniqueItems":true}}}""" },
        { StructuralRule.TypeRequired, "", """{"properties":{"a":{"type":"string"}}}""" },
        { StructuralRule.TypeRequired, "/properties/a", """{"type":"object","properties":{"a":{"description":"no type"}}}""" },
        { StructuralRule.TypeRequired, "/properties/a/items", """{"type":"object","properties":{"a":{"type":"array","items":{"description":"no type"}}}}""" },
        { StructuralRule.TypeRequired, "/properties/a/additionalProperties", """{"type":"object","properties":{"a":{"type":"object","additionalProperties":{"minLength":1}}}}""" },
        { StructuralRule.TypeInvalid, "/properties/a", """{"type":"object","properties":{"a":{"type":"null"}}}""" },
        { StructuralRule.RootMustBeObject, "", """{"type":"array","items":{"type":"string"}}""" },
        { StructuralRule.ArrayNeedsItems, "/properties/a", """{"type":"object","properties":{"a":{"type":"array"}}}""" },
        { StructuralRule.ItemsMustBeSchema, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":[{"type":"string"}]}}}""" },
        { StructuralRule.PropertiesWithAdditionalProperties, "/properties/a", """{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}},"additionalProperties":{"type":"string"}}}}""" },
        { StructuralRule.AdditionalPropertiesAtRoot, "", """{"type":"object","additionalProperties":{"type":"string"}}""" },
        { StructuralRule.AdditionalPropertiesMustBeSchema, "/properties/a", """{"type":"object","properties":{"a":{"type":"object","additionalProperties":false}}}""" },
        { StructuralRule.PreserveUnknownFieldsNotTrue, "/properties/a", """{"type":"object","properties":{"a":{"type":"object","x-kubernetes-preserve-unknown-fields":false}}}""" },
        { StructuralRule.IntOrStringConflict, "/properties/a", """{"type":"object","properties":{"a":{"x-kubernetes-int-or-string":true,"x-kubernetes-preserve-unknown-fields":true}}}""" },
        { StructuralRule.EmbeddedResourceShape, "/properties/a", """{"type":"object","properties":{"a":{"type":"object","x-kubernetes-embedded-resource":true}}}""" },
        { StructuralRule.NullableAtRoot, "", """{"type":"object","nullable":true}""" },
        { StructuralRule.MetadataRestricted, "/properties/metadata", """{"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}}""" },
        { StructuralRule.MetadataRestricted, "/properties/metadata", """{"type":"object","properties":{"metadata":{"type":"object","description":"not even this"}}}""" },
        { StructuralRule.TypeMetaMustBeString, "/properties/kind", """{"type":"object","properties":{"kind":{"type":"integer"}}}""" },
        { StructuralRule.DefaultInResourceMeta, "/properties/apiVersion", """{"type":"object","properties":{"apiVersion":{"type":"string","default":"v1"}}}""" },
        { StructuralRule.DefaultInvalid, "/properties/a", """{"type":"object","properties":{"a":{"type":"string","enum":["x","y"],"default":"z"}}}""" },
        { StructuralRule.DefaultInvalid, "/properties/a", """{"type":"object","properties":{"a":{"type":"integer","minimum":1,"default":"1"}}}""" },
        { StructuralRule.DefaultInvalid, "/properties/a", """{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}},"default":{"c":"x"}}}}""" },
        { StructuralRule.InvalidPattern, "/properties/a", """{"type":"object","properties":{"a":{"type":"string","pattern":"^(unclosed$"}}}""" },
        { StructuralRule.ListTypeInvalid, "/properties/a", """{"type":"object","properties":{"a":{"type":"string","x-kubernetes-list-type":"atomic"}}}""" },
        { StructuralRule.ListTypeInvalid, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"bag"}}}""" },
        { StructuralRule.ListMapKeysWithoutMapType, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","required":["k"],"properties":{"k":{"type":"string"}}},"x-kubernetes-list-map-keys":["k"]}}}""" },
        { StructuralRule.MapListShape, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}},"x-kubernetes-list-type":"map"}}}""" },
        { StructuralRule.MapListShape, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k"]}}}""" },
        { StructuralRule.MapListKey, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}},"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k"]}}}""" },
        { StructuralRule.MapListKey, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","required":["k"],"properties":{"k":{"type":"object"}}},"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k"]}}}""" },
        { StructuralRule.MapListKey, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","required":["k"],"properties":{"k":{"type":"string"}}},"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["missing"]}}}""" },
        { StructuralRule.MapListKey, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","required":["k"],"properties":{"k":{"type":"string"}}},"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k","k"]}}}""" },
        { StructuralRule.SetItemsNotAtomic, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}},"x-kubernetes-list-type":"set"}}}""" },
        { StructuralRule.ListItemsNullable, "/properties/a", """{"type":"object","properties":{"a":{"type":"array","items":{"type":"string","nullable":true},"x-kubernetes-list-type":"set"}}}""" },
        { StructuralRule.MapTypeInvalid, "/properties/a", """{"type":"object","properties":{"a":{"type":"string","x-kubernetes-map-type":"atomic"}}}""" },
        { StructuralRule.MapTypeInvalid, "/properties/a", """{"type":"object","properties":{"a":{"type":"object","x-kubernetes-map-type":"sticky"}}}""" },
        { StructuralRule.JunctorKeywordForbidden, "/properties/a/anyOf/0", """{"type":"object","properties":{"a":{"type":"string","anyOf":[{"type":"string","minLength":1},{"maxLength":3}]}}}""" },
        { StructuralRule.JunctorKeywordForbidden, "/properties/a/oneOf/0", """{"type":"object","properties":{"a":{"type":"string","oneOf":[{"default":"x"}]}}}""" },
        { StructuralRule.JunctorKeywordForbidden, "/properties/a/not", """{"type":"object","properties":{"a":{"type":"string","not":{"description":"d"}}}}""" },
        { StructuralRule.JunctorKeywordForbidden, "/anyOf/0/properties/metadata", """{"type":"object","properties":{"metadata":{"type":"object"}},"anyOf":[{"properties":{"metadata":{"required":["name"]}}}]}""" },
        { StructuralRule.JunctorFieldNotSpecified, "/properties/a/anyOf/0/properties/b", """{"type":"object","properties":{"a":{"type":"object","properties":{"c":{"type":"string"}},"anyOf":[{"required":["b"],"properties":{"b":{"minLength":1}}}]}}}""" },
        { StructuralRule.JunctorFieldNotSpecified, "/properties/a/allOf/0/items", """{"type":"object","properties":{"a":{"type":"object","allOf":[{"items":{"minLength":1}}]}}}""" },
    };

    [Theory]
    [MemberData(nameof(InvalidSchemas))]
    public void Catches_each_rule(StructuralRule rule, string pointer, string schema)
    {
        var violations = StructuralSchemaChecker.Check(Parse(schema), statusSubresource: false);

        Assert.True(
            violations.Any(v => v.Rule == rule && v.Pointer == pointer),
            $"expected {rule} at '{pointer}', got: {string.Join("; ", violations)}");
    }

    [Fact]
    public void Catches_keywords_the_root_may_not_carry_with_the_status_subresource()
    {
        var schema = Parse("""{"type":"object","x-kubernetes-map-type":"atomic","properties":{"status":{"type":"object"}}}""");

        Assert.Contains(StructuralSchemaChecker.Check(schema, statusSubresource: true), v => v.Rule == StructuralRule.RootKeywordNotAllowed);
        Assert.DoesNotContain(StructuralSchemaChecker.Check(schema, statusSubresource: false), v => v.Rule == StructuralRule.RootKeywordNotAllowed);
    }

    [Fact]
    public void Accepts_the_structural_shapes_the_api_server_accepts()
    {
        var schema = Parse("""
            {"type":"object","description":"ok","required":["spec"],"properties":{
              "apiVersion":{"type":"string"},"kind":{"type":"string"},
              "metadata":{"type":"object","properties":{"name":{"type":"string","maxLength":20}}},
              "spec":{"type":"object","properties":{
                "any":{"x-kubernetes-preserve-unknown-fields":true},
                "port":{"x-kubernetes-int-or-string":true,"anyOf":[{"type":"integer"},{"type":"string"}]},
                "port2":{"x-kubernetes-int-or-string":true,"allOf":[{"anyOf":[{"type":"integer"},{"type":"string"}]},{"pattern":"^[0-9a-z]+$"}]},
                "labels":{"type":"object","additionalProperties":{"type":"string"},"x-kubernetes-map-type":"atomic"},
                "names":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"set"},
                "byKey":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k"],
                  "items":{"type":"object","properties":{"k":{"type":"string","default":"a"},"v":{"type":"integer","format":"int32","default":3}}}},
                "choice":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},
                  "oneOf":[{"required":["a"]},{"required":["b"]}],"default":{"a":"x"}},
                "when":{"type":"string","format":"date-time","default":"2024-01-02T03:04:05Z"},
                "interval":{"type":"string","default":"30s","pattern":"^[0-9]+s$"}}},
              "status":{"type":"object"}}}
            """);

        Assert.Empty(StructuralSchemaChecker.Check(schema, statusSubresource: true));
    }

    [Fact]
    public void Value_validator_reports_unknown_fields_wrong_types_and_duplicates()
    {
        var schema = Parse("""
            {"type":"object","required":["name"],"properties":{
              "name":{"type":"string","maxLength":3},
              "n":{"type":"integer","format":"int32"},
              "tags":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"set"}}}
            """);
        var value = JsonNode.Parse("""{"n":1.5,"tags":["a","a"],"extra":true}""");

        var errors = SchemaValueValidator.Validate(value, schema);

        Assert.Contains(errors, e => e.Contains("required field name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("n: expected integer", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("tags: duplicate entry", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("extra: unknown field", StringComparison.Ordinal));
    }

    [Fact]
    public void Well_known_type_shapes_are_enforced()
    {
        var stringNode = Parse("""{"type":"string"}""");

        Assert.NotNull(WellKnownTypes.ShapeProblem("/properties/spec/properties/refs/items", WellKnownTypes.SinkReference, stringNode));
        Assert.NotNull(WellKnownTypes.ShapeProblem("/properties/spec/properties/sel", WellKnownTypes.LabelSelector, stringNode));
        Assert.NotNull(WellKnownTypes.ShapeProblem("/properties/status/properties/conditions/items", WellKnownTypes.Condition, stringNode));
        Assert.NotNull(WellKnownTypes.ShapeProblem("/properties/spec/properties/d", WellKnownTypes.Duration, Parse("""{"type":"integer"}""")));
        Assert.NotNull(WellKnownTypes.ShapeProblem("/properties/spec/properties/d", "Quantity", stringNode));
        Assert.Null(WellKnownTypes.ShapeProblem("/properties/spec/properties/d", WellKnownTypes.Duration, stringNode));
        Assert.Null(WellKnownTypes.ShapeProblem("/properties/spec/properties/refs/items", WellKnownTypes.SinkReference, Parse("""{"x-kubernetes-preserve-unknown-fields":true}""")));
    }

    [Theory]
    [InlineData("status.count", "must start with '.'")]
    [InlineData(".status.missing", "no schema field")]
    [InlineData(".status.count[0]", "not an array")]
    [InlineData(".status.conditions[?(@.kind==\"Ready\")].status", "filter field kind")]
    [InlineData(".metadata.labels", "reads metadata other than")]
    [InlineData(".status.count | x", "supported JSONPath subset")]
    public void Printer_column_paths_that_read_nothing_are_reported(string jsonPath, string problem)
    {
        var schema = Parse("""
            {"type":"object","properties":{"status":{"type":"object","properties":{
              "count":{"type":"integer"},
              "conditions":{"type":"array","items":{"type":"object","properties":{"type":{"type":"string"},"status":{"type":"string"}}}}}}}}
            """);

        var (node, found) = PrinterColumnPath.Resolve(schema, jsonPath);

        Assert.Null(node);
        Assert.Contains(problem, found, StringComparison.Ordinal);
        Assert.NotNull(PrinterColumnPath.Resolve(schema, ".status.conditions[?(@.type==\"Ready\")].status").Node);
    }

    private static JsonObject Parse(string json) => (JsonObject)JsonNode.Parse(json)!;
}
