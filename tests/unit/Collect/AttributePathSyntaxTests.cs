using Kollect.Operator.Collect;

namespace Kollect.Tests.Unit.Collect;

public sealed class AttributePathSyntaxTests
{
    [Theory]
    [InlineData("$.spec.template.spec.containers[0].image")]
    [InlineData("{.metadata.labels['app.kubernetes.io/name']}")]
    [InlineData("$.status.conditions[?(@.type==\"Ready\")].status")]
    [InlineData("cel:size(object.spec.template.spec.containers)")]
    [InlineData("cel:has(object.spec.replicas) && object.spec.replicas > 1")]
    public void Valid_paths_give_null(string path) => Assert.Null(AttributePathSyntax.Validate(path));

    [Theory]
    [InlineData("$.a..b", "JSONPath '$.a..b' at position 3: not supported: recursive descent '..'; spell out each field")]
    [InlineData("cel:object.a + 1", "CEL expression 'cel:object.a + 1' at position 13: not supported: arithmetic operator '+'")]
    [InlineData("cel:", "CEL expression 'cel:' at position 4: expected a value (object, a literal, '(' or '['), found the end of the expression")]
    public void Invalid_paths_give_a_precise_message(string path, string message) => Assert.Equal(message, AttributePathSyntax.Validate(path));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_paths_are_invalid(string path) => Assert.StartsWith("path is empty", AttributePathSyntax.Validate(path), StringComparison.Ordinal);
}
