using System.Text.Json;
using Kollect.Api;
using Kollect.Operator.Json;
using Kollect.Operator.Collect;

namespace Kollect.Tests.Unit.Collect.Engine;

public sealed class LabelSelectorMatcherTests
{
    private static LabelSelector Selector(string json) => JsonSerializer.Deserialize(json, KollectJsonContext.Default.LabelSelector)!;

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    [Theory]
    [InlineData("""{"matchLabels":{"a":"1"}}""", true)]
    [InlineData("""{"matchLabels":{"a":"2"}}""", false)]
    [InlineData("""{"matchLabels":{"a":"1","b":"x"}}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In","values":["0","1"]}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In","values":["0"]}]}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"NotIn","values":["0"]}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"NotIn","values":["1"]}]}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"missing","operator":"NotIn","values":["1"]}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists"}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"missing","operator":"Exists"}]}""", false)]
    [InlineData("""{"matchExpressions":[{"key":"missing","operator":"DoesNotExist"}]}""", true)]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"DoesNotExist"}]}""", false)]
    [InlineData("""{"matchLabels":{"a":"1"},"matchExpressions":[{"key":"a","operator":"DoesNotExist"}]}""", false)]
    [InlineData("""{}""", true)]
    public void Matches_labels_like_Kubernetes(string selector, bool expected)
    {
        var matcher = LabelSelectorMatcher.Compile(Selector(selector), "spec.labelSelector");
        Assert.Equal(expected, matcher.Matches(Labels(("a", "1"))));
    }

    [Fact]
    public void Absent_selector_matches_everything()
    {
        Assert.Same(LabelSelectorMatcher.Everything, LabelSelectorMatcher.Compile((LabelSelector?)null, "spec.labelSelector"));
        Assert.True(LabelSelectorMatcher.Everything.Matches(Labels()));
    }

    [Theory]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}""", "spec.labelSelector.matchExpressions[0].operator")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}""", "spec.labelSelector.matchExpressions[0].values")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""", "spec.labelSelector.matchExpressions[0].values")]
    public void Malformed_selector_names_the_field(string selector, string field)
    {
        var error = Assert.Throws<FormatException>(() => LabelSelectorMatcher.Compile(Selector(selector), "spec.labelSelector"));
        Assert.StartsWith(field, error.Message, StringComparison.Ordinal);
    }
}
