using System.Text;
using Kollect.Operator.Collect;

namespace Kollect.Tests.Unit.Collect;

public sealed class AttributeExtractorTests
{
    private static AttributeExtractionResult Extract(params ProfileAttribute[] attributes) =>
        new AttributeExtractor(attributes).Extract(Objects.Deployment());

    private static string Json(AttributeExtractionResult result)
    {
        Assert.True(result.Succeeded, result.Failure);
        return Encoding.UTF8.GetString(result.Attributes!);
    }

    [Fact]
    public void Sample_profile_attributes()
    {
        // config/samples/kollect_v1alpha1_kollectprofile.yaml of the original project
        var result = Extract(
            new("image", "$.spec.template.spec.containers[0].image", "string"),
            new("images", "$.spec.template.spec.containers[*].image", "list"),
            new("containerCount", "cel:size(object.spec.template.spec.containers)", "int"),
            new("labels", "$.metadata.labels", "map", Optional: true));
        Assert.Equal(
            """{"containerCount":2,"image":"repo/app:1.0","images":["repo/app:1.0","repo/sidecar:2.1"],"labels":{"app.kubernetes.io/name":"api","tier":"web"}}""",
            Json(result));
    }

    [Fact]
    public void Optional_null_or_error_is_omitted_required_null_is_written()
    {
        var result = Extract(
            new("a", "$.spec.missing", Optional: true),
            new("b", "cel:object.spec.missing", Optional: true),
            new("c", "$.spec.missing"),
            new("d", "cel:has(object.spec.missing)"));
        Assert.Equal("""{"c":null,"d":false}""", Json(result));
    }

    [Fact]
    public void Required_cel_error_fails_naming_attribute_and_path()
    {
        var result = Extract(new("ok", "$.metadata.name"), new("broken", "cel:object.spec.nothing.here"));
        Assert.False(result.Succeeded);
        Assert.Null(result.Attributes);
        Assert.Equal("attribute 'broken' (path 'cel:object.spec.nothing.here'): no such key: nothing", result.Failure);
    }

    [Fact]
    public void Extracted_values_are_scrubbed_and_attribute_names_count_as_keys()
    {
        var result = Extract(
            new("env", "$.spec.template.spec.containers[0].env"),
            new("dbPassword", "$.metadata.name"));
        Assert.Equal(
            """{"dbPassword":{"reason":"sensitive-key","redacted":true},"env":[{"name":"MODE","value":"prod"},{"name":"DB_PASSWORD","valueFrom":{"reason":"sensitive-key","redacted":true}}]}""",
            Json(result));
    }

    [Fact]
    public void Attributes_are_sorted_by_name_and_empty_profiles_give_an_empty_object()
    {
        Assert.Equal("""{"B":1,"a":"api","b":3}""", Json(Extract(new("b", "$.spec.replicas"), new("a", "$.metadata.name"), new("B", "cel:1"))));
        Assert.Equal("{}", Json(Extract()));
    }

    [Fact]
    public void Bad_paths_and_duplicate_names_are_rejected_at_construction()
    {
        var error = Assert.Throws<AttributePathSyntaxException>(() => new AttributeExtractor([new("x", "$.a..b")]));
        Assert.Contains("attribute 'x' path '$.a..b'", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new AttributeExtractor([new("x", "$.a"), new("x", "$.b")]));
    }

    [Fact]
    public void Numbers_keep_their_go_form()
    {
        Assert.Equal("""{"r":0.5,"v":3}""", Json(Extract(new("r", "$.spec.ratio"), new("v", "cel:object.spec.replicas"))));
    }

    [Fact]
    public void Lone_surrogate_escapes_in_the_object_become_replacement_characters()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"a":"x\ud800y","b":{"k":"\udc00"}}""");
        var result = new AttributeExtractor([new("a", "$.a"), new("b", "$.b"), new("c", "cel:size(object.a)")]).Extract(document.RootElement);
        Assert.Equal("{\"a\":\"x\uFFFDy\",\"b\":{\"k\":\"\uFFFD\"},\"c\":3}", Json(result));
    }
}
