using Kollect.Operator.Export;

namespace Kollect.Operator.Collect;

/// <summary>Writes <see cref="PathValue"/>s as canonical JSON (SPEC §4) through <see cref="GoJsonWriter"/>.</summary>
public static class PathValueWriter
{
    /// <summary>Writes <paramref name="value"/>; maps inside it are scrubbed by <paramref name="redactor"/> when given. Error values cannot be written.</summary>
    public static void Write(GoJsonWriter writer, PathValue value, JsonRedactor? redactor)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        switch (value.Kind)
        {
            case PathValueKind.Null:
                writer.WriteNull();
                break;
            case PathValueKind.Bool:
                writer.WriteBool(value.Bool);
                break;
            case PathValueKind.Int:
                writer.WriteInt64(value.Int);
                break;
            case PathValueKind.Double:
                writer.WriteDouble(value.Double);
                break;
            case PathValueKind.String:
                writer.WriteString(value.String);
                break;
            case PathValueKind.List:
                writer.WriteRaw((byte)'[');
                for (var i = 0; i < value.Items!.Count; i++)
                {
                    if (i > 0)
                    {
                        writer.WriteRaw((byte)',');
                    }
                    Write(writer, value.Items[i], redactor);
                }
                writer.WriteRaw((byte)']');
                break;
            case PathValueKind.Json:
                writer.WriteElement(value.Element, redactor);
                break;
            default:
                throw new ArgumentException($"an error value cannot be written: {value.String}", nameof(value));
        }
    }

    /// <summary>
    /// True when the attribute entry <paramref name="name"/> → <paramref name="value"/> must be
    /// redacted as a whole (the attributes object is a map like any other, SPEC §3).
    /// </summary>
    public static bool ShouldRedactEntry(JsonRedactor redactor, string name, PathValue value)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        return value.Kind == PathValueKind.Json ? redactor.ShouldRedact(name, value.Element) : redactor.ShouldRedactKey(name);
    }
}
