using System.Globalization;
using System.Text;

namespace Kollect.Api.Schema;

/// <summary>
/// Quotes a value the way Kubernetes error messages do (Go's <c>%q</c> for printable text), so that
/// empty values and spaces are visible. Shared by the generated schema checks and the operator's
/// semantic rules, so both speak the same way.
/// </summary>
public static class QuotedText
{
    /// <summary>The value in double quotes, with quotes, backslashes and control characters escaped.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
