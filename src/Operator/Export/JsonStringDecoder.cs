using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Kollect.Operator.Export;

/// <summary>
/// Reads JSON strings and property names the way Go's decoder does: a lone surrogate escape
/// (<c>\ud800</c>) becomes U+FFFD instead of an error. <see cref="JsonElement.GetString"/> throws
/// on such input, which would turn one odd label value into a lost row.
/// </summary>
public static class JsonStringDecoder
{
    /// <summary>The value of a string element.</summary>
    public static string GetString(JsonElement element) => Decode(StripQuotes(JsonMarshal.GetRawUtf8Value(element)));

    /// <summary>
    /// The name of a property. The raw-name accessor exists from .NET 10 on; built for .NET 9
    /// (the AOT fallback), a name with a lone surrogate escape still throws
    /// <see cref="InvalidOperationException"/>, which fails that object's extraction.
    /// </summary>
#if NET10_0_OR_GREATER
    public static string GetName(JsonProperty property) => Decode(StripQuotes(JsonMarshal.GetRawUtf8PropertyName(property)));
#else
    public static string GetName(JsonProperty property) => property.Name;
#endif

    /// <summary>Decodes the raw (escaped) UTF-8 content of a JSON string, without its quotes.</summary>
    public static string Decode(ReadOnlySpan<byte> raw)
    {
        if (!raw.Contains((byte)'\\'))
        {
            return Encoding.UTF8.GetString(raw);
        }
        var builder = new StringBuilder(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] != (byte)'\\')
            {
                var next = raw[i..].IndexOf((byte)'\\');
                var length = next < 0 ? raw.Length - i : next;
                builder.Append(Encoding.UTF8.GetString(raw.Slice(i, length)));
                i += length;
                continue;
            }
            var escape = raw[i + 1];
            i += 2;
            switch (escape)
            {
                case (byte)'b': builder.Append('\b'); break;
                case (byte)'f': builder.Append('\f'); break;
                case (byte)'n': builder.Append('\n'); break;
                case (byte)'r': builder.Append('\r'); break;
                case (byte)'t': builder.Append('\t'); break;
                case (byte)'u':
                    Utf8Parser.TryParse(raw.Slice(i, 4), out ushort unit, out _, 'x');
                    builder.Append((char)unit);
                    i += 4;
                    break;
                default: builder.Append((char)escape); break;
            }
        }
        for (var j = 0; j < builder.Length; j++)
        {
            if (char.IsHighSurrogate(builder[j]) && j + 1 < builder.Length && char.IsLowSurrogate(builder[j + 1]))
            {
                j++;
            }
            else if (char.IsSurrogate(builder[j]))
            {
                builder[j] = '\uFFFD';
            }
        }
        return builder.ToString();
    }

    // The parser has validated the text, so a leading quote can only be the delimiter.
    private static ReadOnlySpan<byte> StripQuotes(ReadOnlySpan<byte> raw) =>
        raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"' ? raw[1..^1] : raw;
}
