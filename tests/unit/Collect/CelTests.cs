using Kollect.Operator.Collect;

namespace Kollect.Tests.Unit.Collect;

public sealed class CelTests
{
    private static PathValue Eval(string expression) => CelEvaluator.Evaluate(CelParser.Parse(expression), Objects.Deployment());

    [Theory]
    [InlineData("object.metadata.name", "api")]
    [InlineData("object.spec[\"replicas\"]", "3")]
    [InlineData("object.metadata.labels['app.kubernetes.io/name']", "api")]
    [InlineData("object.spec.template.spec.containers[1].name", "sidecar")]
    [InlineData("size(object.spec.template.spec.containers)", "2")]
    [InlineData("object.spec.template.spec.containers.size()", "2")]
    [InlineData("size(object.metadata.labels)", "2")]
    [InlineData("size('héllo')", "5")]
    [InlineData("has(object.spec.replicas)", "true")]
    [InlineData("has(object.spec.missing)", "false")]
    [InlineData("object.spec.replicas == 3", "true")]
    [InlineData("object.spec.replicas == 3.0", "true")]
    [InlineData("object.spec.replicas == '3'", "false")]
    [InlineData("object.spec.replicas != 3", "false")]
    [InlineData("object.spec.replicas > 2 && object.spec.replicas <= 3", "true")]
    [InlineData("object.spec.ratio < 1", "true")]
    [InlineData("object.spec.ratio >= 0.5", "true")]
    [InlineData("'abc' < 'abd'", "true")]
    [InlineData("false < true", "true")]
    [InlineData("!object.spec.paused", "true")]
    [InlineData("!!true", "true")]
    [InlineData("-object.spec.replicas", "-3")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("0x10", "16")]
    [InlineData("1.5e3", "1500")]
    [InlineData("null == null", "true")]
    [InlineData("object.metadata.name in ['api', 'web']", "true")]
    [InlineData("'tier' in object.metadata.labels", "true")]
    [InlineData("'x' in object.metadata.labels", "false")]
    [InlineData("object.spec.replicas > 1 ? 'many' : 'one'", "many")]
    [InlineData("has(object.spec.x) ? object.spec.x : 'default'", "default")]
    [InlineData("object.metadata.name.startsWith('a') && object.metadata.name.endsWith('i')", "true")]
    [InlineData("object.spec.template.spec.containers[0].image.contains(':1.')", "true")]
    [InlineData("(object.spec.replicas == 3) || false", "true")]
    [InlineData("[1, 2.0, 'x']", "[1,2,x]")]
    [InlineData("'a\\tb\\u00e9\\x41\\101\\\\'", "a\tbéAA\\")]
    [InlineData("r'a\\tb'", "a\\tb")]
    [InlineData("[1, 2] == [1, 2.0]", "true")]
    public void Evaluates(string expression, string expected) => Assert.Equal(expected, Eval(expression).ToString());

    [Theory]
    // && and || absorb errors on either side when the other side decides (CEL commutativity)
    [InlineData("false && object.missing", "false")]
    [InlineData("object.missing && false", "false")]
    [InlineData("true || object.missing", "true")]
    [InlineData("object.missing || true", "true")]
    [InlineData("1 && false", "false")]
    [InlineData("false && 1", "false")]
    public void Logical_operators_absorb_errors(string expression, string expected) => Assert.Equal(expected, Eval(expression).ToString());

    [Theory]
    [InlineData("object.missing", "no such key: missing")]
    [InlineData("object.spec.missing.deeper", "no such key: missing")]
    [InlineData("object.spec['missing']", "no such key: missing")]
    [InlineData("true && object.missing", "no such key: missing")]
    [InlineData("object.missing && true", "no such key: missing")]
    [InlineData("false || object.missing", "no such key: missing")]
    [InlineData("object.missing || object.other", "no such key: missing")]
    [InlineData("has(object.missing.x)", "no such key: missing")]
    [InlineData("has(object.metadata.name.x)", "has() needs a map")]
    [InlineData("object.spec.template.spec.containers[7]", "index out of range: 7")]
    [InlineData("object.spec.replicas < 'x'", "no such overload")]
    [InlineData("size(object.spec.replicas)", "no such overload: size(int)")]
    [InlineData("!object.spec.replicas", "no such overload")]
    [InlineData("object.metadata.name.x", "does not support field selection")]
    [InlineData("1 in object.metadata.labels", "no such overload")]
    [InlineData("object.spec.replicas ? 1 : 2", "no such overload")]
    [InlineData("true && 1", "no such overload")]
    [InlineData("-object.metadata.name", "no such overload")]
    [InlineData("-(-9223372036854775808)", "int overflow")]
    [InlineData("object.metadata.name.startsWith(1)", "no such overload")]
    [InlineData("[object.missing]", "no such key: missing")]
    public void Errors_are_values(string expression, string message)
    {
        var value = Eval(expression);
        Assert.True(value.IsError, $"expected an error, got {value}");
        Assert.Contains(message, value.String, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("object.spec.replicas + 1", 21, "not supported: arithmetic operator '+'")]
    [InlineData("object.a * 2", 9, "not supported: arithmetic operator '*'")]
    [InlineData("{'a': 1}", 0, "not supported: map and message literals")]
    [InlineData("object.spec.containers.all(c, c.image != '')", 23, "not supported: macro 'all'")]
    [InlineData("object.spec.containers.map(c, c.name)", 23, "not supported: macro 'map'")]
    [InlineData("exists(object)", 0, "not supported: macro 'exists'")]
    [InlineData("matches(object.metadata.name, 'a')", 0, "not supported: function 'matches()'")]
    [InlineData("int(object.spec.replicas)", 0, "not supported: function 'int()'")]
    [InlineData("object.metadata.name.lowerAscii()", 21, "not supported: method 'lowerAscii()'")]
    [InlineData("self.spec", 0, "unknown variable 'self'")]
    [InlineData("1u", 0, "not supported: unsigned integer literals")]
    [InlineData("b'abc'", 0, "not supported: bytes literals")]
    [InlineData("'''abc'''", 0, "not supported: triple-quoted strings")]
    [InlineData("object.?spec", 7, "not supported: optional field selection")]
    [InlineData("has(object)", 3, "has() takes one field selection")]
    [InlineData("size()", 0, "size() takes 1 argument")]
    [InlineData("object.size(1)", 7, "method 'size' takes 0 argument(s)")]
    [InlineData("object.metadata.name == 'api", 24, "unterminated string literal")]
    [InlineData("object.spec.replicas = 3", 21, "unexpected '=' (did you mean '=='?)")]
    [InlineData("object.a & object.b", 9, "unexpected '&' (did you mean '&&'?)")]
    [InlineData("(object.a", 9, "expected ')', found the end of the expression")]
    [InlineData("object.", 7, "expected a field name after '.'")]
    [InlineData("object.a b", 9, "expected an operator or the end of the expression, found 'b'")]
    [InlineData("", 0, "expected a value")]
    [InlineData("9223372036854775808", 0, "out of the int64 range")]
    [InlineData("'\\q'", 1, "invalid escape sequence '\\q'")]
    [InlineData("'\\u12'", 1, "4 hexadecimal digits")]
    [InlineData("'\\ud800'", 1, "invalid code point")]
    [InlineData("1e", 1, "expected digits in the exponent")]
    [InlineData("object # x", 7, "unexpected character '#'")]
    [InlineData("if", 0, "'if' is a reserved word")]
    [InlineData("true ? 1", 8, "expected ':' of the conditional")]
    [InlineData(".object", 0, "not supported: leading '.'")]
    public void Rejects_with_position_and_reason(string expression, int position, string problem)
    {
        var error = Assert.Throws<AttributePathSyntaxException>(() => CelParser.Parse(expression));
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.Equal(position, error.Position);
    }

    [Fact]
    public void Deep_nesting_is_a_syntax_error_not_a_crash()
    {
        var error = Assert.Throws<AttributePathSyntaxException>(() => CelParser.Parse(new string('(', 10_000) + "1" + new string(')', 10_000)));
        Assert.Contains("nested deeper than", error.Problem, StringComparison.Ordinal);
        Assert.Throws<AttributePathSyntaxException>(() => CelParser.Parse(new string('!', 10_000) + "true"));
    }

    [Theory]
    [InlineData(".a")]
    [InlineData(" || true")]
    [InlineData(" == true")]
    [InlineData("[0]")]
    public void Long_chains_are_a_syntax_error_not_a_deep_tree(string link)
    {
        var text = (link.StartsWith(' ') ? "true" : "object") + string.Concat(Enumerable.Repeat(link, 20_000));
        var error = Assert.Throws<AttributePathSyntaxException>(() => CelParser.Parse(text));
        Assert.Contains("expression too long", error.Problem, StringComparison.Ordinal);
        Assert.NotNull(CelParser.Parse((link.StartsWith(' ') ? "true" : "object") + string.Concat(Enumerable.Repeat(link, 500))));
    }
}
