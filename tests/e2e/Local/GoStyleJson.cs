using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// The tests' own re-serialisation of a parsed JSON value the way Go's <c>encoding/json</c> writes
/// it (SPEC §4): compact, member order kept as read, <c>&lt; &gt; &amp;</c> and U+2028/U+2029 as
/// <c>\u003c</c>-style escapes, other non-ASCII raw. Written independently of the operator's
/// GoJsonWriter so each checks the other: a published body must equal its re-serialisation byte for byte.
/// Numbers are copied as written (the operator's values are integers or already Go-formatted).
/// </summary>
public static class GoStyleJson
{
    public static byte[] Serialize(JsonElement value)
    {
        var text = new StringBuilder();
        Write(value, text);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Write(JsonElement value, StringBuilder text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var firstMember = true;
                foreach (var member in value.EnumerateObject())
                {
                    if (!firstMember)
                    {
                        text.Append(',');
                    }
                    firstMember = false;
                    WriteString(member.Name, text);
                    text.Append(':');
                    Write(member.Value, text);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var firstItem = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!firstItem)
                    {
                        text.Append(',');
                    }
                    firstItem = false;
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(value.GetString()!, text);
                break;
            case JsonValueKind.Number:
                text.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case < ' ':
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
