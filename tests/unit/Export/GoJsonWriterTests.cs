using Kollect.Operator.Export;

namespace Kollect.Tests.Unit.Export;

/// <summary>
/// Vectors derived by hand from Go's encoding/json rules (encode.go appendString, floatEncoder,
/// mapEncoder) as stated in SPEC §4; each case names the rule it checks.
/// </summary>
public sealed class GoJsonWriterTests
{
    [Theory]
    // map keys sorted, output compact
    [InlineData("""{ "b": 1, "a": 2 }""", """{"a":2,"b":1}""")]
    // nested maps sorted at every depth; arrays keep their order
    [InlineData("""{"z":{"b":[1,{"d":1,"c":2}],"a":null},"a":true}""", """{"a":true,"z":{"a":null,"b":[1,{"c":2,"d":1}]}}""")]
    [InlineData("[]", "[]")]
    [InlineData("{}", "{}")]
    [InlineData("""{"a":[],"b":{}}""", """{"a":[],"b":{}}""")]
    // upper case sorts before lower case (byte order)
    [InlineData("""{"a":1,"B":2,"_":3}""", """{"B":2,"_":3,"a":1}""")]
    // a key repeated in the input: decoding into a Go map keeps the last value
    [InlineData("""{"a":1,"b":0,"a":2}""", """{"a":2,"b":0}""")]
    // keys are escaped like strings
    [InlineData("""{"<k>":1}""", """{"\u003ck\u003e":1}""")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    public void Structure(string input, string expected) => Assert.Equal(expected, CanonicalJson.Of(input));

    [Theory]
    // HTML-safe escaping of < > &
    [InlineData("""  "<a href='x'>&</a>"  """, """ "\u003ca href='x'\u003e\u0026\u003c/a\u003e" """)]
    // U+2028 / U+2029 always escaped, whether written raw or escaped in the input
    [InlineData("\"a\u2028b\u2029c\"", """ "a\u2028b\u2029c" """)]
    [InlineData(""" "\u2028" """, """ "\u2028" """)]
    // other non-ASCII raw UTF-8, including a supplementary character given as a surrogate-pair escape
    [InlineData("\"é漢😀\"", "\"é漢😀\"")]
    [InlineData(""" "\ud83d\ude00" """, "\"😀\"")]
    [InlineData(""" "\u00e9" """, "\"é\"")]
    // short escapes Go uses: \n \r \t, and (Go ≥ 1.22) \b \f
    [InlineData(""" "a\nb\rc\td" """, """ "a\nb\rc\td" """)]
    [InlineData(""" "\b\f" """, """ "\b\f" """)]
    // other control characters as \u00XX with lower-case hex
    [InlineData(""" "\u0001\u001f\u0000" """, """ "\u0001\u001f\u0000" """)]
    // quote and backslash escaped; solidus and DEL are not
    [InlineData(""" "q\"b\\s\/" """, """ "q\"b\\s/" """)]
    [InlineData(""" "\u007f" """, "\"\u007f\"")]
    // a lone surrogate decodes to U+FFFD in Go, which is then written raw
    [InlineData(""" "x\ud800y" """, "\"x\uFFFDy\"")]
    public void Strings(string input, string expected) => Assert.Equal(expected.Trim(), CanonicalJson.Of(input));

    [Theory]
    // integers that fit int64 stay integers
    [InlineData("0", "0")]
    [InlineData("123456789012", "123456789012")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    // "-0" parses as the int64 0
    [InlineData("-0", "0")]
    // not an integer text → float64; -0.0 is negative zero, written "-0"
    [InlineData("-0.0", "-0")]
    [InlineData("1.0", "1")]
    [InlineData("1e2", "100")]
    [InlineData("1.5", "1.5")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("0.1", "0.1")]
    // beyond int64: float64, shortest digits, 'f' format below 1e21
    // 2^63: its shortest round-trip digits are 9223372036854776 (×10^3)
    [InlineData("9223372036854775808", "9223372036854776000")]
    [InlineData("12345678901234567890", "12345678901234567000")]
    [InlineData("1e20", "100000000000000000000")]
    // 'e' format from 1e21 on, exponent sign and two digits kept for positive exponents
    [InlineData("1e21", "1e+21")]
    [InlineData("1e23", "1e+23")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
    // 'f' format down to 1e-6, 'e' below it, a negative one-digit exponent without leading zero
    [InlineData("0.000001", "0.000001")]
    [InlineData("0.0000001", "1e-7")]
    [InlineData("1.5e-7", "1.5e-7")]
    [InlineData("1.2345e-10", "1.2345e-10")]
    [InlineData("5e-324", "5e-324")]
    public void Numbers(string input, string expected) => Assert.Equal(expected, CanonicalJson.Of(input));

    [Fact]
    public void Code_point_order_differs_from_utf16_order_for_supplementary_keys()
    {
        // U+E000 (UTF-8 EE 80 80) sorts before U+1F600 (F0 9F 98 80) by bytes; in UTF-16 the
        // surrogate D83D would sort first.
        Assert.Equal("{\"\uE000\":1,\"😀\":2}", CanonicalJson.Of("{\"😀\":2,\"\uE000\":1}"));
    }

    [Fact]
    public void Utf8_input_with_invalid_bytes_writes_escaped_replacement_characters_like_Marshal()
    {
        // 0xFF is never valid; C3 alone is a truncated sequence: each offending byte → \ufffd.
        var text = CanonicalJson.Write(w => w.WriteUtf8String([(byte)'a', 0xFF, (byte)'b', 0xC3]));
        Assert.Equal("\"a\\ufffdb\\ufffd\"", text);
    }

    [Fact]
    public void Utf16_lone_surrogates_become_replacement_characters()
    {
        Assert.Equal("\"a\uFFFDb\uFFFD\"", CanonicalJson.Write(w => w.WriteString("a\uDC00b\uD800")));
    }

    [Fact]
    public void Long_strings_cross_chunk_boundaries_intact()
    {
        // 511 ASCII chars put the surrogate pair across the writer's 512-char chunk boundary.
        var value = new string('x', 511) + "😀<" + new string('y', 2000);
        var expected = "\"" + new string('x', 511) + "😀\\u003c" + new string('y', 2000) + "\"";
        Assert.Equal(expected, CanonicalJson.Write(w => w.WriteString(value)));
    }

    [Fact]
    public void Non_finite_doubles_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CanonicalJson.Write(w => w.WriteDouble(double.NaN)));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-0.0, "-0")]
    [InlineData(100.0, "100")]
    [InlineData(123.456, "123.456")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(9.99e-7, "9.99e-7")]
    [InlineData(1e-10, "1e-10")]
    [InlineData(999999999999999900000.0, "999999999999999900000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(-2.5e100, "-2.5e+100")]
    [InlineData(1e-100, "1e-100")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    public void Float_formatter(double value, string expected) => Assert.Equal(expected, GoFloatFormatter.Format(value));
}
