using Kollect.Operator.Collect;

namespace Kollect.Tests.Unit.Collect;

public sealed class JsonPathTests
{
    private static string Eval(string path) => JsonPathParser.Parse(path).Evaluate(Objects.Deployment()).ToString();

    [Theory]
    [InlineData("$.metadata.name", "api")]
    [InlineData("{.metadata.name}", "api")]
    [InlineData("{$.metadata.name}", "api")]
    [InlineData(".metadata.name", "api")]
    [InlineData("  { .metadata.name }  ", "api")]
    [InlineData("$.spec.replicas", "3")]
    [InlineData("$.spec.template.spec.containers[0].image", "repo/app:1.0")]
    [InlineData("$.spec.template.spec.containers[-1].name", "sidecar")]
    // several matches ⇒ a list
    [InlineData("$.spec.template.spec.containers[*].image", "[repo/app:1.0,repo/sidecar:2.1]")]
    [InlineData("$.spec.template.spec.containers.*.name", "[app,sidecar]")]
    // exactly one match of [*] ⇒ that value, not a list
    [InlineData("$.spec.template.spec.containers[*].ports[*].containerPort", "8080")]
    [InlineData("$.metadata.labels['app.kubernetes.io/name']", "api")]
    [InlineData("$.metadata.labels[\"tier\"]", "web")]
    [InlineData("$['metadata']['name']", "api")]
    [InlineData(@"$.metadata.annotations.kollect\.dev/owner", "team-a")]
    [InlineData("$.status.conditions[?(@.type==\"Available\")].status", "True")]
    [InlineData("$.status.conditions[?(@.type=='Available')].status", "True")]
    [InlineData("$.status.conditions[?(@.type != 'Available')].type", "Progressing")]
    [InlineData("$.spec.template.spec.containers[?(@.ports)].name", "app")]
    [InlineData("$.spec.template.spec.containers[?(@.image == 'repo/app:1.0')].ports[0].containerPort", "8080")]
    // an element lacking the compared field makes the whole path absent, as in kubectl
    [InlineData("$.spec.template.spec.containers[?(@.ports[0].containerPort >= 8080)].name", "null")]
    [InlineData("$.spec.template.spec.containers[?(@.name == 'sidecar')]", """{ "name": "sidecar", "image": "repo/sidecar:2.1" }""")]
    // missing ⇒ null
    [InlineData("$.spec.missing", "null")]
    [InlineData("$.spec.replicas.deeper", "null")]
    [InlineData("$.status.conditions[?(@.missing != 'x')].type", "null")]
    [InlineData("$", "ROOT")]
    public void Evaluates(string path, string expected)
    {
        var actual = Eval(path);
        if (expected == "ROOT")
        {
            Assert.StartsWith("{", actual, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Filter_compares_only_values_of_the_same_kind()
    {
        var root = System.Text.Json.JsonDocument.Parse("""{"a":[{"n":1,"b":true},{"n":2,"b":false}],"f":[{"n":2.5}]}""").RootElement;
        Assert.Equal("[1,2]", JsonPathParser.Parse("$.a[?(@.n <= 2)].n").Evaluate(root).ToString());
        Assert.Equal("1", JsonPathParser.Parse("$.a[?(@.b == true)].n").Evaluate(root).ToString());
        Assert.Equal("2.5", JsonPathParser.Parse("$.f[?(@.n > 2.0)].n").Evaluate(root).ToString());
        Assert.Equal(
            "the filter compares an integer with a float; kubectl's JSONPath compares a string, bool, integer or float with a literal of the same kind only (and orders no bools)",
            JsonPathParser.Parse("$.a[?(@.n <= 2.5)].n").Evaluate(root).String);
        Assert.True(JsonPathParser.Parse("$.a[?(@.n == '1')].n").Evaluate(root).IsError);
        Assert.True(JsonPathParser.Parse("$.a[?(@.b < true)].n").Evaluate(root).IsError);
        Assert.True(JsonPathParser.Parse("$.a[?(@.n == null)].n").Evaluate(root).IsError);
    }

    [Theory]
    [InlineData("$.spec.template.spec.containers[5].image", "index [5] is out of range for a list of 2 element(s)")]
    [InlineData("$.spec.template.spec.containers[-3].image", "index [-3] is out of range for a list of 2 element(s)")]
    [InlineData("{.metadata.name[0]}", "index [0] applied to a string; indexes apply to lists only")]
    [InlineData("$.metadata.labels[0]", "index [0] applied to a map; indexes apply to lists only")]
    [InlineData("$.metadata.labels[*]", "[*] applied to a map; [*] applies to lists only (use .* for the values of a map)")]
    [InlineData("$.metadata[?(@.x == 'y')]", "filter [?(…)] applied to a map; filters apply to lists only")]
    [InlineData("$.spec.template.spec.containers[?(@.env[*].name == 'MODE')].name", "the filter's path has 2 values; a filter compares one value at a time")]
    public void An_evaluation_error_is_not_absent(string path, string reason)
    {
        var value = JsonPathParser.Parse(path).Evaluate(Objects.Deployment());
        Assert.True(value.IsError, $"{path} gave {value}");
        Assert.Equal(reason, value.String);
    }

    [Theory]
    [InlineData("$.a..b", 3, "not supported: recursive descent")]
    [InlineData("$..b", 1, "not supported: recursive descent")]
    [InlineData("$.a[1:2]", 5, "not supported: array slices")]
    [InlineData("$.a[:2]", 4, "not supported: array slices")]
    [InlineData("$.a[0,1]", 5, "not supported: unions")]
    [InlineData("$.a['x','y']", 7, "not supported: unions")]
    [InlineData("$.a.length()", 4, "not supported: function 'length()'")]
    [InlineData("{range .items[*]}", 1, "not supported: 'range' templates")]
    [InlineData("{.a}{.b}", 4, "not supported: text or further templates")]
    [InlineData("$.a[?(@.b =~ /x/)]", 10, "not supported: regular expression")]
    [InlineData("$.a[?(@.b == 'x' && @.c == 'y')]", 17, "not supported: combining filter conditions")]
    [InlineData("$.a[?(@.b == @.c)]", 13, "not supported: comparing with another path")]
    [InlineData("metadata.name", 0, "expected a path starting with '$', '.' or '['")]
    [InlineData("", 0, "expected a path starting with '$', '.' or '[', found the end of the path")]
    [InlineData("{}", 1, "expected a path starting")]
    [InlineData("$.", 2, "expected a field name after '.'")]
    [InlineData("$.a[", 4, "expected an index, '*', a quoted key or a filter")]
    [InlineData("$.a[0", 5, "expected ']'")]
    [InlineData("$.a['x", 4, "unterminated string")]
    [InlineData("{.a", 3, "expected '}' to close the template")]
    [InlineData("$.a}", 3, "unexpected '}'")]
    [InlineData("$.a b", 4, "expected '.', '[' or the end of the path")]
    [InlineData("$.a[?(@.b = 'x')]", 10, "expected '=='")]
    [InlineData("$.a[?(@.b == x)]", 13, "expected a literal")]
    [InlineData("$.a[?@.b]", 5, "expected '(' after '?'")]
    [InlineData("$.a[?(b)]", 6, "expected '@'")]
    [InlineData("$.a[99999999999]", 4, "array index out of range")]
    public void Rejects_with_position_and_reason(string path, int position, string problem)
    {
        var error = Assert.Throws<AttributePathSyntaxException>(() => JsonPathParser.Parse(path));
        Assert.Equal(position, error.Position);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }
}
