using System.Buffers;
using System.Text.Json;
using Kollect.Operator.Export;

namespace Kollect.Operator.Collect;

/// <summary>
/// Extracts a profile's attributes from objects (SPEC §3). Paths are compiled once, at
/// construction; <see cref="Extract"/> then runs per object and writes the attributes object as
/// canonical JSON with scrubbing applied. An optional attribute that errors or yields null is
/// omitted; a required one that errors fails the object, while a required one that yields null
/// is written as <c>null</c>: an absent field is null, an evaluation error (an index out of range
/// or on a string or map, a CEL runtime error) is not (SPEC §3, issue #12).
/// </summary>
public sealed class AttributeExtractor
{
    private readonly (ProfileAttribute Attribute, AttributePath Path)[] attributes;
    private readonly JsonRedactor redactor;

    /// <exception cref="AttributePathSyntaxException">A path does not parse; the message names the attribute.</exception>
    public AttributeExtractor(IEnumerable<ProfileAttribute> profileAttributes, JsonRedactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(profileAttributes);
        this.redactor = redactor ?? SensitiveKeyScrubber.Default;
        var compiled = new List<(ProfileAttribute, AttributePath)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var attribute in profileAttributes)
        {
            if (!names.Add(attribute.Name))
            {
                throw new ArgumentException($"attribute '{attribute.Name}' is listed twice; attribute names must be unique", nameof(profileAttributes));
            }
            try
            {
                compiled.Add((attribute, AttributePath.Compile(attribute.Path)));
            }
            catch (AttributePathSyntaxException error)
            {
                throw new AttributePathSyntaxException(error.Position, $"attribute '{attribute.Name}' path '{attribute.Path}': {error.Problem}");
            }
        }
        // Written in key order, as Go writes the attributes map.
        compiled.Sort(static (a, b) => CodePointComparer.Compare(a.Item1.Name, b.Item1.Name));
        attributes = compiled.ToArray();
    }

    public AttributeExtractionResult Extract(JsonElement obj)
    {
        try
        {
            return ExtractAll(obj);
        }
        catch (Exception error) when (error is FormatException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            // JsonElement throws these for input Go's decoder would have refused (a number out of
            // the float64 range, nesting beyond the writer's bound): the object yields no row.
            return AttributeExtractionResult.Failed($"the object cannot be written as canonical JSON: {error.Message}");
        }
    }

    private AttributeExtractionResult ExtractAll(JsonElement obj)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new GoJsonWriter(buffer);
        writer.WriteRaw((byte)'{');
        var first = true;
        foreach (var (attribute, path) in attributes)
        {
            var value = path.Evaluate(obj);
            if (value.IsError)
            {
                if (attribute.Optional)
                {
                    continue;
                }
                return AttributeExtractionResult.Failed($"attribute '{attribute.Name}' (path '{attribute.Path}'): {value.String}");
            }
            if (value.Kind == PathValueKind.Null && attribute.Optional)
            {
                continue;
            }
            if (!first)
            {
                writer.WriteRaw((byte)',');
            }
            first = false;
            writer.WriteString(attribute.Name);
            writer.WriteRaw((byte)':');
            if (PathValueWriter.ShouldRedactEntry(redactor, attribute.Name, value))
            {
                writer.WriteRaw(redactor.Replacement);
            }
            else
            {
                PathValueWriter.Write(writer, value, redactor);
            }
        }
        writer.WriteRaw((byte)'}');
        return AttributeExtractionResult.Success(buffer.WrittenSpan.ToArray());
    }
}
