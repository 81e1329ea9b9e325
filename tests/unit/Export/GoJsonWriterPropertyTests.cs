using System.Text;
using System.Text.Json;

namespace Kollect.Tests.Unit.Export;

/// <summary>
/// Properties of the canonical writer over random JSON (seeded): the output is valid JSON that
/// means the same as the input (same structure, strings and numbers), and writing it again
/// changes nothing (canonical form is a fixed point).
/// </summary>
public sealed class GoJsonWriterPropertyTests
{
    [Fact]
    public void Canonical_form_is_equivalent_and_idempotent()
    {
        const int seed = 4_242;
        var random = new Random(seed);
        for (var i = 0; i < 2_000; i++)
        {
            var input = RandomJson(random, depth: 0);
            var once = CanonicalJson.Of(input);
            var twice = CanonicalJson.Of(once);
            Assert.True(once == twice, $"seed {seed}, iteration {i}: not idempotent for {input}\nonce:  {once}\ntwice: {twice}");
            using var original = JsonDocument.Parse(input);
            using var canonical = JsonDocument.Parse(once);
            Assert.True(Equivalent(original.RootElement, canonical.RootElement), $"seed {seed}, iteration {i}: meaning changed for {input} → {once}");
        }
    }

    private static bool Equivalent(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }
        switch (a.ValueKind)
        {
            case JsonValueKind.Object:
                // the last duplicate wins, as in Go
                var left = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var p in a.EnumerateObject())
                {
                    left[p.Name] = p.Value;
                }
                var right = b.EnumerateObject().ToList();
                return left.Count == right.Count && right.All(p => left.TryGetValue(p.Name, out var v) && Equivalent(v, p.Value));
            case JsonValueKind.Array:
                return a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => Equivalent(p.First, p.Second));
            case JsonValueKind.String:
                return a.GetString() == b.GetString();
            case JsonValueKind.Number:
                return a.GetDouble().Equals(b.GetDouble());
            default:
                return true;
        }
    }

    private static readonly string[] Keys = ["a", "b", "B", "_", "key", "é", "😀", "\uE000", "<x>", "a&b", "", "a"];
    // No "-0.0": Go writes float64 negative zero as "-0", which decodes again as the int64 0, so
    // it is the one input whose canonical form is not a fixed point (in Go as here; see GoJsonWriterTests).
    private static readonly string[] Numbers = ["0", "-0", "1", "-1", "1.5", "1e21", "1e-7", "123456789012", "9223372036854775807", "9223372036854775808", "0.1", "1E+2", "2.5e-300", "1.7976931348623157e308"];

    private static string RandomJson(Random random, int depth)
    {
        var pick = depth > 3 ? random.Next(4) : random.Next(6);
        switch (pick)
        {
            case 0:
                return Numbers[random.Next(Numbers.Length)];
            case 1:
                return QuotedRandomString(random);
            case 2:
                return new[] { "true", "false", "null" }[random.Next(3)];
            case 3:
                return random.Next(2) == 0 ? "[]" : "{}";
            case 4:
                var items = Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomJson(random, depth + 1));
                return "[" + string.Join(",", items) + "]";
            default:
                var members = Enumerable.Range(0, random.Next(0, 5))
                    .Select(_ => JsonSerializerString(Keys[random.Next(Keys.Length)]) + " : " + RandomJson(random, depth + 1));
                return "{ " + string.Join(" , ", members) + " }";
        }
    }

    private static readonly string[] Pieces = ["a", "b", "<", ">", "&", "\"", "\\", "/", "\n", "\b", "\f", "\u0001", "\u007f", "\u2028", "\u2029", "é", "漢", "😀", " "];

    private static string QuotedRandomString(Random random)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, 8);
        for (var i = 0; i < length; i++)
        {
            builder.Append(Pieces[random.Next(Pieces.Length)]);
        }
        return JsonSerializerString(builder.ToString());
    }

    // Escapes with \uXXXX so the input exercises the writer's unescaping too.
    private static string JsonSerializerString(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c is '"' or '\\' or < ' ' ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return builder.Append('"').ToString();
    }
}
