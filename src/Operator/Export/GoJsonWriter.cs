using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Kollect.Operator.Export;

/// <summary>
/// Writes JSON byte-identical to Go's <c>encoding/json</c> <c>Marshal</c> of values that
/// Kubernetes' decoder produced (map[string]any, []any, string, bool, nil, int64, float64),
/// as SPEC §4 requires for canonical rows and checksums:
/// <list type="bullet">
/// <item>compact, map keys sorted by UTF-8 byte order (= code point order), a duplicated key
/// keeps its last value (as decoding into a Go map does);</item>
/// <item>strings: <c>"</c> and <c>\</c> escaped; <c>\n \r \t \b \f</c> as short escapes (Go ≥ 1.22;
/// older Go wrote <c>\u0008</c>/<c>\u000c</c>); other bytes below 0x20 and <c>&lt; &gt; &amp;</c> as
/// <c>\u00XX</c>; U+2028/U+2029 as <c>\u2028</c>/<c>\u2029</c>; everything else raw UTF-8 (DEL
/// included); an invalid UTF-8 byte as the text <c>\ufffd</c>, as Marshal does; a lone surrogate
/// (from a <c>\ud800</c> escape or a C# string) as raw U+FFFD, as Go's decoder produces it;</item>
/// <item>numbers: JSON text that is an integer fitting int64 is written as that integer (so
/// <c>-0</c> becomes <c>0</c>); every other number is a float64 in Go's format
/// (<see cref="GoFloatFormatter"/>).</item>
/// </list>
/// The writer appends to an <see cref="IBufferWriter{T}"/> and does not allocate per value on
/// the common paths; punctuation between values is the caller's job (<see cref="WriteRaw(ReadOnlySpan{byte})"/>).
/// </summary>
public sealed class GoJsonWriter
{
    // Nesting in Kubernetes objects is shallow; the bound turns a pathological input into an
    // error instead of a stack overflow.
    private const int MaxDepth = 1000;

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    private readonly IBufferWriter<byte> output;

    public GoJsonWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        this.output = output;
    }

    /// <summary>Copies bytes that are already canonical JSON (punctuation, stored rows).</summary>
    public void WriteRaw(ReadOnlySpan<byte> utf8)
    {
        output.Write(utf8);
    }

    public void WriteRaw(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public void WriteNull() => WriteRaw("null"u8);

    public void WriteBool(bool value) => WriteRaw(value ? "true"u8 : "false"u8);

    public void WriteInt64(long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }

    /// <summary>Writes a float64 as Go does; NaN and infinities cannot come from JSON input and are rejected like Go's UnsupportedValueError.</summary>
    public void WriteDouble(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no representation for NaN or infinity");
        }
        var span = output.GetSpan(32);
        var written = GoFloatFormatter.Format(value, span);
        output.Advance(written);
    }

    /// <summary>Writes a quoted, Go-escaped string from UTF-16 text.</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        WriteRaw((byte)'"');
        var i = 0;
        while (i < value.Length)
        {
            // Chunks bound the span we ask for; 6 bytes is the longest encoding of one UTF-16 unit.
            var chunkEnd = Math.Min(value.Length, i + 512);
            var span = output.GetSpan(((chunkEnd - i) * 6) + 8);
            var position = 0;
            while (i < chunkEnd)
            {
                var c = value[i];
                int codePoint;
                if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    codePoint = char.ConvertToUtf32(c, value[i + 1]);
                    i += 2;
                }
                else
                {
                    codePoint = char.IsSurrogate(c) ? 0xFFFD : c;
                    i++;
                }
                position += EncodeCodePoint(codePoint, span[position..]);
            }
            output.Advance(position);
        }
        WriteRaw((byte)'"');
    }

    /// <summary>Writes a quoted, Go-escaped string from UTF-8 bytes; each invalid byte becomes <c>\ufffd</c> as in Go's Marshal.</summary>
    public void WriteUtf8String(ReadOnlySpan<byte> utf8)
    {
        WriteRaw((byte)'"');
        WriteUtf8StringContent(utf8);
        WriteRaw((byte)'"');
    }

    private void WriteUtf8StringContent(ReadOnlySpan<byte> utf8)
    {
        var start = 0;
        var i = 0;
        while (i < utf8.Length)
        {
            var b = utf8[i];
            if (b < 0x80)
            {
                if (IsSafeAscii(b))
                {
                    i++;
                    continue;
                }
                WriteRaw(utf8[start..i]);
                WriteEscapedAscii(b);
                i++;
                start = i;
                continue;
            }
            var status = Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                // Go replaces each byte that does not start a valid sequence.
                WriteRaw(utf8[start..i]);
                WriteRaw("\\ufffd"u8);
                i++;
                start = i;
                continue;
            }
            if (rune.Value is 0x2028 or 0x2029)
            {
                WriteRaw(utf8[start..i]);
                WriteRaw(rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
                i += consumed;
                start = i;
                continue;
            }
            i += consumed;
        }
        WriteRaw(utf8[start..]);
    }

    /// <summary>
    /// Writes a JSON element canonically (see the type's remarks). <paramref name="redactor"/>,
    /// when given, may replace the value of any map entry at any depth.
    /// </summary>
    public void WriteElement(JsonElement element, JsonRedactor? redactor = null)
    {
        WriteElement(element, redactor, 0);
    }

    private void WriteElement(JsonElement element, JsonRedactor? redactor, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, redactor, depth + 1);
                break;
            case JsonValueKind.Array:
                if (depth + 1 > MaxDepth)
                {
                    throw new InvalidOperationException($"JSON nested deeper than {MaxDepth} levels");
                }
                WriteRaw((byte)'[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        WriteRaw((byte)',');
                    }
                    first = false;
                    WriteElement(item, redactor, depth + 1);
                }
                WriteRaw((byte)']');
                break;
            case JsonValueKind.String:
                WriteJsonStringElement(element);
                break;
            case JsonValueKind.Number:
                WriteNumberText(JsonMarshal.GetRawUtf8Value(element), element);
                break;
            case JsonValueKind.True:
                WriteRaw("true"u8);
                break;
            case JsonValueKind.False:
                WriteRaw("false"u8);
                break;
            default:
                WriteRaw("null"u8);
                break;
        }
    }

    private void WriteObject(JsonElement element, JsonRedactor? redactor, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"JSON nested deeper than {MaxDepth} levels");
        }
        var properties = new List<(string Name, int Order, JsonElement Value)>();
        var order = 0;
        foreach (var property in element.EnumerateObject())
        {
            properties.Add((JsonStringDecoder.GetName(property), order++, property.Value));
        }
        // Code point order, and among equal keys the later one last so it wins below.
        properties.Sort(static (a, b) =>
        {
            var byName = CodePointComparer.Compare(a.Name, b.Name);
            return byName != 0 ? byName : a.Order.CompareTo(b.Order);
        });
        WriteRaw((byte)'{');
        var first = true;
        for (var i = 0; i < properties.Count; i++)
        {
            if (i + 1 < properties.Count && string.Equals(properties[i].Name, properties[i + 1].Name, StringComparison.Ordinal))
            {
                continue;
            }
            if (!first)
            {
                WriteRaw((byte)',');
            }
            first = false;
            var (name, _, value) = properties[i];
            WriteString(name);
            WriteRaw((byte)':');
            if (redactor is not null && redactor.ShouldRedact(name, value))
            {
                WriteRaw(redactor.Replacement);
            }
            else
            {
                WriteElement(value, redactor, depth);
            }
        }
        WriteRaw((byte)'}');
    }

    /// <summary>Writes number text as Go would after decoding it: int64 when the text is an integer in range, float64 otherwise.</summary>
    private void WriteNumberText(ReadOnlySpan<byte> raw, JsonElement element)
    {
        if (IsIntegerText(raw) && Utf8Parser.TryParse(raw, out long integer, out var consumed) && consumed == raw.Length)
        {
            WriteInt64(integer);
            return;
        }
        WriteDouble(element.GetDouble());
    }

    /// <summary>True for JSON number text without fraction or exponent: what Kubernetes' decoder keeps as int64 when it fits.</summary>
    internal static bool IsIntegerText(ReadOnlySpan<byte> text)
    {
        var start = text.Length > 0 && text[0] == (byte)'-' ? 1 : 0;
        return start < text.Length && !text[start..].ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    /// <summary>
    /// Writes a string element from its raw JSON text: without escapes the text is already
    /// valid UTF-8 (the parser checked it); with escapes it is decoded to UTF-16 first.
    /// </summary>
    private void WriteJsonStringElement(JsonElement element)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"')
        {
            raw = raw[1..^1];
        }
        if (!raw.Contains((byte)'\\'))
        {
            WriteRaw((byte)'"');
            WriteUtf8StringContent(raw);
            WriteRaw((byte)'"');
            return;
        }
        WriteString(JsonStringDecoder.Decode(raw));
    }

    private static bool IsSafeAscii(byte b) => b >= 0x20 && b != (byte)'"' && b != (byte)'\\' && b != (byte)'<' && b != (byte)'>' && b != (byte)'&';

    private void WriteEscapedAscii(byte b)
    {
        var span = output.GetSpan(6);
        output.Advance(EncodeAscii(b, span));
    }

    private static int EncodeAscii(byte b, Span<byte> destination)
    {
        if (IsSafeAscii(b))
        {
            destination[0] = b;
            return 1;
        }
        destination[0] = (byte)'\\';
        switch (b)
        {
            case (byte)'"' or (byte)'\\':
                destination[1] = b;
                return 2;
            case (byte)'\n':
                destination[1] = (byte)'n';
                return 2;
            case (byte)'\r':
                destination[1] = (byte)'r';
                return 2;
            case (byte)'\t':
                destination[1] = (byte)'t';
                return 2;
            case (byte)'\b':
                destination[1] = (byte)'b';
                return 2;
            case (byte)'\f':
                destination[1] = (byte)'f';
                return 2;
            default:
                destination[1] = (byte)'u';
                destination[2] = (byte)'0';
                destination[3] = (byte)'0';
                destination[4] = Hex[b >> 4];
                destination[5] = Hex[b & 0xF];
                return 6;
        }
    }

    private static int EncodeCodePoint(int codePoint, Span<byte> destination)
    {
        if (codePoint < 0x80)
        {
            return EncodeAscii((byte)codePoint, destination);
        }
        if (codePoint is 0x2028 or 0x2029)
        {
            (codePoint == 0x2028 ? "\\u2028"u8 : "\\u2029"u8).CopyTo(destination);
            return 6;
        }
        return new Rune(codePoint).EncodeToUtf8(destination);
    }
}
