using System.Buffers;
using System.Text;
using System.Text.Json;
using Kollect.Operator.Collect;
using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Collect;

/// <summary>
/// Property tests of both parsers with seeded <see cref="Random"/>: inputs built from the
/// grammar's tokens and mutations of valid paths. A parser returns a tree or throws
/// <see cref="AttributePathSyntaxException"/>, nothing else; a parsed path evaluates and writes
/// without throwing. The seed and the input are printed on failure (the runs are deterministic,
/// so the printed seed reproduces them). The xunit timeout only catches a hang.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Iterations = 4000;

    private static readonly string[] JsonPathTokens =
    [
        "$", ".", "..", "[", "]", "*", "'", "\"", "?", "(", ")", "@", "==", "!=", "<", "<=", ">", ">=",
        "=", "=~", ",", ":", "{", "}", "-", "0", "1", "42", "-1", "2.5", "a", "name", "metadata", "spec",
        "containers", "true", "false", "null", "'x.y'", "\"k\"", " ", "\\", "\\.", "&&", "||", "range",
        "end", "length()", "é", "\0", "/", "[0]", "[*]", "[?(@.a=='b')]",
    ];

    private static readonly string[] JsonPathSeeds =
    [
        "$.spec.template.spec.containers[0].image", "{.metadata.labels['app.kubernetes.io/name']}",
        "$.status.conditions[?(@.type==\"Available\")].status", "$.spec.template.spec.containers[*].ports[*].containerPort",
        ".metadata.name", "$['metadata'][\"name\"]", "$.a[?(@.n >= -2.5)].b", "$.spec.template.spec.containers[?(@.ports)].name",
    ];

    private static readonly string[] CelTokens =
    [
        "object", ".", "metadata", "spec", "name", "replicas", "containers", "labels", "template", "[", "]",
        "(", ")", "{", "}", ",", "?", ":", "!", "-", "&&", "||", "==", "!=", "<", "<=", ">", ">=", " in ",
        "size", "has", "startsWith", "true", "false", "null", "0", "1", "-1", "3.5", "1e3", "0x1F", "'s'",
        "\"t\"", "r'raw'", "'\\n'", "'\\u00e9'", "'\\x4", "'", "\"", "\\", " ", "+", "*", "u", "b'", "all",
        "self", "if", "_x", "9223372036854775808", "é", "#", "=", "&", "'''", ".?",
    ];

    private static readonly string[] CelSeeds =
    [
        "size(object.spec.template.spec.containers)", "has(object.spec.replicas) && object.spec.replicas > 1",
        "object.metadata.labels['app.kubernetes.io/name'] == 'api' || !object.spec.paused",
        "object.spec.replicas > 1 ? 'many' : 'one'", "object.metadata.name in ['api', \"web\"]",
        "object.spec.template.spec.containers[0].image.startsWith('repo/')", "-object.spec.replicas <= 0x10",
        "'a\\tb\\u00e9' == r'x' && 1.5e3 != null",
    ];

    [Fact(Timeout = 120_000)]
    public async Task JsonPath_parser_only_returns_or_reports_syntax_errors()
    {
        await Task.Run(() => Fuzz(seed: 6_001, JsonPathTokens, JsonPathSeeds, text =>
        {
            JsonPathExpression expression;
            try
            {
                expression = JsonPathParser.Parse(text);
            }
            catch (AttributePathSyntaxException error)
            {
                Assert.InRange(error.Position, 0, text.Length);
                return false;
            }
            var value = expression.Evaluate(Objects.Deployment());
            if (value.IsError)
            {
                Assert.False(string.IsNullOrEmpty(value.String), $"{text}: an evaluation error without a reason");
            }
            else
            {
                WriteValue(value);
            }
            return true;
        }));
    }

    [Fact(Timeout = 120_000)]
    public async Task Cel_parser_only_returns_or_reports_syntax_errors()
    {
        await Task.Run(() => Fuzz(seed: 6_002, CelTokens, CelSeeds, text =>
        {
            CelExpression expression;
            try
            {
                expression = CelParser.Parse(text);
            }
            catch (AttributePathSyntaxException error)
            {
                Assert.InRange(error.Position, 0, text.Length);
                return false;
            }
            var value = CelEvaluator.Evaluate(expression, Objects.Deployment());
            if (!value.IsError)
            {
                WriteValue(value);
            }
            return true;
        }));
    }

    [Fact(Timeout = 120_000)]
    public async Task Validate_never_throws()
    {
        await Task.Run(() => Fuzz(seed: 6_003, [.. CelTokens, .. JsonPathTokens, "cel:"], ["cel:" + CelSeeds[0], JsonPathSeeds[0]], text =>
        {
            var message = AttributePathSyntax.Validate(text);
            return message is null;
        }));
    }

    private static void WriteValue(PathValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        PathValueWriter.Write(new GoJsonWriter(buffer), value, SensitiveKeyScrubber.Default);
        using var _ = JsonDocument.Parse(buffer.WrittenMemory);
    }

    /// <summary>Runs random token strings and mutated seeds through <paramref name="check"/>; requires some of each outcome so the generator is not degenerate.</summary>
    private static void Fuzz(int seed, string[] tokens, string[] seeds, Func<string, bool> check)
    {
        var random = new Random(seed);
        var accepted = 0;
        var rejected = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var text = i % 2 == 0 ? RandomTokens(random, tokens) : Mutate(random, seeds[random.Next(seeds.Length)]);
            bool parsed;
            try
            {
                parsed = check(text);
            }
            catch (Exception error) when (error is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed}, iteration {i}, input {JsonSerializerSafe(text)}: {error.GetType().Name}: {error.Message}\n{error.StackTrace}");
                return;
            }
            catch (Xunit.Sdk.XunitException error)
            {
                Assert.Fail($"seed {seed}, iteration {i}, input {JsonSerializerSafe(text)}: {error.Message}");
                return;
            }
            if (parsed)
            {
                accepted++;
            }
            else
            {
                rejected++;
            }
        }
        Assert.True(accepted > Iterations / 50, $"seed {seed}: only {accepted} inputs parsed; the generator is degenerate");
        Assert.True(rejected > Iterations / 50, $"seed {seed}: only {rejected} inputs were rejected");
    }

    private static string RandomTokens(Random random, string[] tokens)
    {
        var builder = new StringBuilder();
        var count = random.Next(1, 14);
        for (var i = 0; i < count; i++)
        {
            builder.Append(tokens[random.Next(tokens.Length)]);
        }
        return builder.ToString();
    }

    private static string Mutate(Random random, string seed)
    {
        var text = new StringBuilder(seed);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            var position = random.Next(text.Length + 1);
            switch (random.Next(4))
            {
                case 0 when text.Length > 0 && position < text.Length:
                    text.Remove(position, 1);
                    break;
                case 1:
                    text.Insert(position, RandomChar(random));
                    break;
                case 2 when text.Length > 0:
                    var start = random.Next(text.Length);
                    var length = random.Next(1, Math.Min(8, text.Length - start) + 1);
                    text.Insert(position, text.ToString(start, length));
                    break;
                default:
                    if (position < text.Length)
                    {
                        text[position] = RandomChar(random);
                    }
                    break;
            }
        }
        return text.ToString();
    }

    private static char RandomChar(Random random) => random.Next(10) switch
    {
        0 => "é\u2028\uD800\0\t\n"[random.Next(6)],
        _ => (char)random.Next(0x20, 0x7F),
    };

    private static string JsonSerializerSafe(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return builder.Append('"').ToString();
    }
}
