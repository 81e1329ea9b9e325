using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kollect.Operator.Manifests;

/// <summary>
/// Types a YAML scalar the way Kubernetes does. kubectl and the API server read YAML through
/// sigs.k8s.io/yaml, which decodes with go-yaml v2 (YAML 1.1 resolution) into untyped values and
/// then writes JSON. So, for a plain (unquoted, untagged) scalar:
/// <list type="bullet">
/// <item><c>""</c>, <c>~</c>, <c>null</c>/<c>Null</c>/<c>NULL</c> → null</item>
/// <item><c>true</c>/<c>false</c>, <c>yes</c>/<c>no</c>, <c>on</c>/<c>off</c>, <c>y</c>/<c>n</c> (each also
/// capitalised or upper case) → boolean (YAML 1.1: <c>on: x</c> is the key <c>"true"</c>)</item>
/// <item>integers as Go's <c>strconv.ParseInt(s, 0, 64)</c> reads them after removing <c>_</c>: decimal,
/// <c>0x1F</c>, <c>0o17</c>, <c>0b101</c>, and a leading zero means octal (<c>0755</c> = 493); beyond
/// int64 an unsigned 64-bit value; then floats (<c>1.5</c>, <c>1e3</c>, <c>.5</c>; <c>08</c> is the float 8)</item>
/// <item><c>.inf</c>, <c>-.inf</c>, <c>.nan</c> → rejected: JSON cannot represent them</item>
/// <item>everything else, including timestamps such as <c>2024-01-01</c>, stays a string</item>
/// </list>
/// Quoted and block scalars are strings; <c>!!str</c> forces a string; <c>!!int</c>, <c>!!float</c>,
/// <c>!!bool</c>, <c>!!null</c> require a matching value; other tags leave the text as a string.
/// </summary>
internal static partial class YamlScalarResolver
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    private static readonly Dictionary<string, bool> Booleans = BuildBooleans();

    private static readonly HashSet<string> Nulls = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    private static readonly HashSet<string> NonFinite = new(StringComparer.Ordinal)
    {
        ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    };

    /// <summary>Resolves a scalar; <paramref name="tag"/> is the explicit tag or empty, <paramref name="plain"/> whether it was written unquoted.</summary>
    public static JsonNode? Resolve(string value, string tag, bool plain, int line)
    {
        if (tag.Length == 0 || tag == "!")
        {
            return plain && tag.Length == 0 ? ResolvePlain(value, line) : JsonValue.Create(value);
        }

        if (!tag.StartsWith(TagPrefix, StringComparison.Ordinal))
        {
            // Local tags (!foo) are not resolvable; go-yaml keeps the text.
            return JsonValue.Create(value);
        }

        var kind = tag[TagPrefix.Length..];
        switch (kind)
        {
            case "str":
            case "binary":
                return JsonValue.Create(value);
            case "null":
            case "bool":
            case "int":
            case "float":
                var resolved = ResolvePlain(value, line);
                var actual = resolved switch
                {
                    null => "null",
                    JsonValue v when v.TryGetValue<bool>(out _) => "bool",
                    JsonValue v when v.TryGetValue<double>(out _) => "float",
                    JsonValue v when v.TryGetValue<string>(out _) => "str",
                    _ => "int",
                };
                if (actual == kind || (kind == "float" && actual == "int"))
                {
                    return resolved;
                }

                throw new ManifestSyntaxException(line, $"the value {Quote(value)} cannot be read as !!{kind}");
            default:
                return JsonValue.Create(value);
        }
    }

    /// <summary>
    /// Turns a plain mapping key into the JSON property name sigs.k8s.io/yaml produces: booleans
    /// become <c>true</c>/<c>false</c>, numbers their decimal text; a null key is an error.
    /// </summary>
    public static string ResolveKey(JsonNode? key, int line) => key switch
    {
        null => throw new ManifestSyntaxException(line, "a mapping key is null; JSON object keys must be strings"),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when v.TryGetValue<long>(out var l) => l.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<ulong>(out var u) => u.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<double>(out var d) => ((float)d).ToString("R", CultureInfo.InvariantCulture),
        _ => throw new ManifestSyntaxException(line, "a mapping key is a list or a mapping; JSON object keys must be strings"),
    };

    private static JsonNode? ResolvePlain(string value, int line)
    {
        if (Nulls.Contains(value))
        {
            return null;
        }

        if (Booleans.TryGetValue(value, out var boolean))
        {
            return JsonValue.Create(boolean);
        }

        if (NonFinite.Contains(value))
        {
            throw new ManifestSyntaxException(line, $"the value {value} (infinity or not-a-number) cannot be represented in JSON; quote it to make it a string");
        }

        var first = value[0];
        if (first == '.')
        {
            return double.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d)
                ? JsonValue.Create(d)
                : JsonValue.Create(value);
        }

        if (first is not ('+' or '-') && !char.IsAsciiDigit(first))
        {
            return JsonValue.Create(value);
        }

        var digits = value.Replace("_", "", StringComparison.Ordinal);
        if (TryParseGoInteger(digits, out var signed, out var unsigned, out var isUnsigned))
        {
            return isUnsigned ? JsonValue.Create(unsigned) : JsonValue.Create(signed);
        }

        if (YamlFloat().IsMatch(digits) &&
            double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) &&
            double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c>, falling back to <c>ParseUint</c> for values above int64.</summary>
    private static bool TryParseGoInteger(string text, out long signed, out ulong unsigned, out bool isUnsigned)
    {
        signed = 0;
        unsigned = 0;
        isUnsigned = false;
        var negative = false;
        var s = text.AsSpan();
        var hasSign = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            hasSign = true;
            s = s[1..];
        }

        var radix = 10;
        if (s.Length > 1 && s[0] == '0')
        {
            switch (s[1])
            {
                case 'x' or 'X':
                    radix = 16;
                    s = s[2..];
                    break;
                case 'o' or 'O':
                    radix = 8;
                    s = s[2..];
                    break;
                case 'b' or 'B':
                    radix = 2;
                    s = s[2..];
                    break;
                default:
                    radix = 8;
                    s = s[1..];
                    break;
            }
        }

        if (s.IsEmpty)
        {
            return false;
        }

        ulong magnitude = 0;
        foreach (var c in s)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= radix)
            {
                return false;
            }

            if (magnitude > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return false;
            }

            magnitude = (magnitude * (ulong)radix) + (ulong)digit;
        }

        if (negative)
        {
            if (magnitude > (ulong)long.MaxValue + 1)
            {
                return false;
            }

            signed = magnitude == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)magnitude;
            return true;
        }

        if (magnitude <= long.MaxValue)
        {
            signed = (long)magnitude;
            return true;
        }

        // ParseUint accepts no sign at all, not even '+'.
        if (hasSign)
        {
            return false;
        }

        unsigned = magnitude;
        isUnsigned = true;
        return true;
    }

    private static Dictionary<string, bool> BuildBooleans()
    {
        var map = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var word in new[] { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" })
        {
            map[word] = true;
        }

        foreach (var word in new[] { "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF" })
        {
            map[word] = false;
        }

        return map;
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>go-yaml v2's float syntax (after <c>_</c> removal).</summary>
    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();
}
