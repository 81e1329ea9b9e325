using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Kollect.Operator.Export;

namespace Kollect.Operator.Collect;

/// <summary>
/// A value produced by a JSONPath or CEL attribute path. Objects and arrays of the input stay
/// <see cref="JsonElement"/>s (no copy); scalars are normalised the way Kubernetes' Go decoder
/// sees them: a number whose text is an integer that fits int64 is an int, every other number a
/// double (SPEC §4, "integers stay integers").
/// </summary>
public sealed class PathValue
{
    public static readonly PathValue Null = new(PathValueKind.Null);
    public static readonly PathValue True = new(PathValueKind.Bool) { Bool = true };
    public static readonly PathValue False = new(PathValueKind.Bool) { Bool = false };

    private PathValue(PathValueKind kind) => Kind = kind;

    public PathValueKind Kind { get; }
    public bool Bool { get; private init; }
    public long Int { get; private init; }
    public double Double { get; private init; }
    /// <summary>The string for <see cref="PathValueKind.String"/>, the message for <see cref="PathValueKind.Error"/>.</summary>
    public string? String { get; private init; }
    public JsonElement Element { get; private init; }
    public IReadOnlyList<PathValue>? Items { get; private init; }

    public bool IsError => Kind == PathValueKind.Error;

    public static PathValue FromBool(bool value) => value ? True : False;
    public static PathValue FromInt(long value) => new(PathValueKind.Int) { Int = value };
    public static PathValue FromDouble(double value) => new(PathValueKind.Double) { Double = value };
    public static PathValue FromString(string value) => new(PathValueKind.String) { String = value };
    public static PathValue FromList(IReadOnlyList<PathValue> items) => new(PathValueKind.List) { Items = items };
    public static PathValue FromError(string message) => new(PathValueKind.Error) { String = message };

    /// <summary>Wraps a JSON element, normalising scalars (see the type's remarks).</summary>
    public static PathValue FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return Null;
            case JsonValueKind.True:
                return True;
            case JsonValueKind.False:
                return False;
            case JsonValueKind.String:
                return FromString(JsonStringDecoder.GetString(element));
            case JsonValueKind.Number:
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (GoJsonWriter.IsIntegerText(raw) && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return FromInt(integer);
                }
                return FromDouble(element.GetDouble());
            default:
                return new PathValue(PathValueKind.Json) { Element = element };
        }
    }

    /// <summary>A short type name for CEL error messages.</summary>
    public string TypeName => Kind switch
    {
        PathValueKind.Null => "null",
        PathValueKind.Bool => "bool",
        PathValueKind.Int => "int",
        PathValueKind.Double => "double",
        PathValueKind.String => "string",
        PathValueKind.List => "list",
        PathValueKind.Json => Element.ValueKind == JsonValueKind.Array ? "list" : "map",
        _ => "error",
    };

    public override string ToString() => Kind switch
    {
        PathValueKind.Null => "null",
        PathValueKind.Bool => Bool ? "true" : "false",
        PathValueKind.Int => Int.ToString(CultureInfo.InvariantCulture),
        PathValueKind.Double => Double.ToString("R", CultureInfo.InvariantCulture),
        PathValueKind.String => String!,
        PathValueKind.List => "[" + string.Join(",", Items!) + "]",
        PathValueKind.Json => Element.GetRawText(),
        _ => "error: " + String,
    };
}
