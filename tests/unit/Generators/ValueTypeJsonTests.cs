using System.Text.Json;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;

namespace Kollect.Tests.Unit.Generators;

/// <summary>IntOrString, SinkReference and Duration read both JSON forms and write back the form they read.</summary>
public sealed class ValueTypeJsonTests
{
    [Fact]
    public void Sink_references_keep_their_string_or_object_form()
    {
        const string Json = """{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectInventory","metadata":{"name":"inv"},"spec":{"eventSinkRefs":["plain",{"name":"full","exportMinInterval":"1m30s","maxExportBytes":1024},{"name":"named-only"}]}}""";

        var inventory = JsonSerializer.Deserialize(Json, KollectJsonContext.Default.KollectInventory)!;

        var refs = inventory.Spec!.EventSinkRefs!;
        Assert.True(refs[0].IsShorthand);
        Assert.Equal("plain", refs[0].Name);
        Assert.False(refs[1].IsShorthand);
        Assert.Equal(Duration.Parse("90s"), refs[1].ExportMinInterval);
        Assert.Equal(1024, refs[1].MaxExportBytes);
        Assert.Equal(Json, JsonSerializer.Serialize(inventory, KollectJsonContext.Default.KollectInventory));
    }

    [Theory]
    [InlineData("""{"exportMinInterval":"5s"}""", "A sink reference object needs a name.")]
    [InlineData("""{"name":"a","exportMinInterval":"soon"}""", "exportMinInterval \"soon\" is not a duration such as \"30s\".")]
    [InlineData("""{"name":"a","maxExportBytes":"big"}""", "maxExportBytes has the wrong type.")]
    [InlineData("17", "A sink reference must be a sink name or an object with a name.")]
    public void An_unusable_sink_reference_reads_with_its_problem_so_the_other_refs_still_read(string reference, string problem)
    {
        var json = $$$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectInventory","metadata":{"name":"inv"},"spec":{"eventSinkRefs":[{{{reference}}},"plain"]}}""";

        var refs = JsonSerializer.Deserialize(json, KollectJsonContext.Default.KollectInventory)!.Spec!.EventSinkRefs!;

        Assert.Equal(problem, refs[0].Problem);
        Assert.Null(refs[1].Problem);
        Assert.Equal("plain", refs[1].Name);
    }

    [Fact]
    public void Int_or_string_keeps_its_form()
    {
        var number = JsonSerializer.Deserialize("8080", ApiValueJsonContext.Default.IntOrString);
        var text = JsonSerializer.Deserialize("\"http\"", ApiValueJsonContext.Default.IntOrString);

        Assert.True(number.IsInt);
        Assert.Equal(8080, number.IntValue);
        Assert.False(text.IsInt);
        Assert.Equal("http", text.StringValue);
        Assert.Equal("8080", JsonSerializer.Serialize(number, ApiValueJsonContext.Default.IntOrString));
        Assert.Equal("\"http\"", JsonSerializer.Serialize(text, ApiValueJsonContext.Default.IntOrString));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("true", ApiValueJsonContext.Default.IntOrString));
    }

    [Fact]
    public void Duration_is_written_as_a_go_string()
    {
        Assert.Equal("\"1h30m0s\"", JsonSerializer.Serialize(Duration.Parse("90m"), ApiValueJsonContext.Default.Duration));
        Assert.Equal(Duration.Parse("300ms"), JsonSerializer.Deserialize("\"300ms\"", ApiValueJsonContext.Default.Duration));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("\"soon\"", ApiValueJsonContext.Default.Duration));
    }
}
