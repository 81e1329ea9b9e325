using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kollect.Generators.Parsing;

/// <summary>
/// Converts YAML values of a CRD (defaults, enum values) to compact JSON, the form the generated
/// code embeds. Plain scalars are resolved with the YAML 1.2 core schema, as Kubernetes' YAML
/// reader does, unless the schema type says the value is a string.
/// </summary>
internal static class YamlJson
{
    private static readonly Regex IntegerPattern = new(@"^[-+]?(0|[1-9][0-9]*)$", RegexOptions.CultureInvariant);
    private static readonly Regex FloatPattern = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

    public static string ToJson(YamlNode node, string? schemaType)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                return ScalarToJson(scalar, schemaType);
            case YamlSequenceNode sequence:
                return "[" + string.Join(",", sequence.Children.Select(child => ToJson(child, null))) + "]";
            case YamlMappingNode mapping:
                return "{" + string.Join(
                    ",",
                    mapping.Children.Select(pair => Quote(((pair.Key as YamlScalarNode)?.Value) ?? string.Empty) + ":" + ToJson(pair.Value, null))) + "}";
            default:
                return "null";
        }
    }

    private static string ScalarToJson(YamlScalarNode scalar, string? schemaType)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || schemaType == "string")
        {
            return Quote(value);
        }

        if (value.Length == 0 || value == "~" || value == "null" || value == "Null" || value == "NULL")
        {
            return "null";
        }

        if (value == "true" || value == "True" || value == "TRUE")
        {
            return "true";
        }

        if (value == "false" || value == "False" || value == "FALSE")
        {
            return "false";
        }

        if (IntegerPattern.IsMatch(value))
        {
            return value.TrimStart('+');
        }

        if (FloatPattern.IsMatch(value)
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number.ToString("R", CultureInfo.InvariantCulture);
        }

        return Quote(value);
    }

    /// <summary>Quotes a string as a JSON string literal.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
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
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < ' ')
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
