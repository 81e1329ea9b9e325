namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// Runs the validation and defaulting generated for the test CRD, which uses the schema
/// constructs the real CRDs do not (int-or-string, date-time, byte, exclusive minimum, nullable,
/// defaults inside array items, maxItems).
/// </summary>
public sealed class FixtureBehaviourTests
{
    private const string ApiVersion = "test.kollect.dev/v1";

    private static string Widget(string spec) =>
        $$"""{"apiVersion":"{{ApiVersion}}","kind":"Widget","metadata":{"name":"w"},"spec":{{spec}}}""";

    [Fact]
    public void The_generated_code_compiles_with_the_hand_written_api()
    {
        Assert.Empty(FixtureCompilation.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_valid_widget_passes()
    {
        var errors = FixtureCompilation.Api.Validate(ApiVersion, "Widget", Widget("""
            {"mode":"fast","name":"abc","replicas":3,"ratio":0.5,"enabled":false,"startedAt":"2026-01-02T03:04:05Z",
             "blob":"aGVsbG8=","port":"http","extra":{"any":[1,2]},"labels":{"a":"b"},"tags":["x","y"],
             "parts":[{"id":"p1","size":2}],"note":null,"sinkRefs":["s",{"name":"t"}],
             "selector":{"matchLabels":{"app":"web"}},"interval":"1m"}
            """));

        Assert.Empty(errors);
    }

    [Fact]
    public void Every_constraint_reports_in_the_api_server_shape()
    {
        var errors = FixtureCompilation.Api.Validate(ApiVersion, "Widget", Widget("""
            {"mode":"slow","name":"ABCDEFGHIJ","replicas":11,"ratio":0,"startedAt":"yesterday","blob":"%%%",
             "port":true,"tags":["x","y","x","z"],"parts":[{"id":"a"},{"id":"a"},{"size":1}],"enabled":null}
            """));

        Assert.Equal(
            [
                "spec.mode: Unsupported value: \"slow\": supported values: \"fast\", \"slowAndSteady\"",
                "spec.name: Invalid value: \"ABCDEFGHIJ\": spec.name in body should match '^[a-z]+$'",
                "spec.name: Too long: may not be more than 8 bytes",
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
                "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0",
                "spec.startedAt: Invalid value: \"yesterday\": spec.startedAt in body must be of type date-time: \"yesterday\"",
                "spec.blob: Invalid value: \"%%%\": spec.blob in body must be of type byte: \"%%%\"",
                "spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer or string",
                "spec.tags: Too many: 4: must have at most 3 items",
                "spec.tags[2]: Duplicate value: \"x\"",
                "spec.parts[1]: Duplicate value: {\"id\":\"a\"}",
                "spec.parts[2].id: Required value",
            ],
            errors);
    }

    [Fact]
    public void Int32_ranges_and_nullable_fields_are_honoured()
    {
        var errors = FixtureCompilation.Api.Validate(ApiVersion, "Widget", Widget("""{"mode":"fast","replicas":4294967296,"note":null,"port":7}"""));

        Assert.Contains("spec.replicas: Invalid value: 4294967296: spec.replicas in body must be of type int32: 4294967296", errors);
        Assert.DoesNotContain(errors, e => e.StartsWith("spec.note", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("spec.port", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_apply_to_absent_fields_and_inside_array_items()
    {
        var json = FixtureCompilation.Api.ApplyDefaults(ApiVersion, "Widget", Widget("""{"mode":"fast","enabled":false,"parts":[{"id":"a"},{"id":"b","size":9}]}"""));

        Assert.Equal(
            Widget("""{"mode":"fast","enabled":false,"parts":[{"id":"a","size":5},{"id":"b","size":9}],"interval":"30s","replicas":1}"""),
            json);
    }
}
