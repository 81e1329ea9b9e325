using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kollect.Operator.Manifests;

/// <summary>
/// Reads a YAML stream (JSON is a subset) into one JSON tree per document, straight from
/// YamlDotNet's event parser: no reflection-based deserializer, so it is NativeAOT-safe, and every
/// object keeps the line it starts on. Anchors and aliases are expanded, <c>&lt;&lt;</c> merge keys are
/// applied (explicit keys win), duplicate keys are an error (as with kubectl's strict field validation).
/// </summary>
internal sealed class YamlManifestParser
{
    // Guards against documents that expand without bound (nested aliases) or recurse too deep.
    private const int MaxDepth = 100;
    private const long MaxNodes = 1_000_000;

    private readonly IParser _parser;
    private readonly string _text;
    private readonly Dictionary<string, (JsonNode? Node, long Size)> _anchors = new(StringComparer.Ordinal);
    private readonly Dictionary<JsonNode, int> _lines = new(ReferenceEqualityComparer.Instance);
    private long _nodes;
    private int _lastLine = 1;

    private YamlManifestParser(string text)
    {
        _text = text;
        _parser = new Parser(new StringReader(text));
    }

    /// <summary>One parsed document: its root (null for an empty document) and the line its content starts on.</summary>
    internal readonly record struct ParsedDocument(JsonNode? Root, int Line, IReadOnlyDictionary<JsonNode, int> ObjectLines);

    /// <summary>Parses every document; throws <see cref="ManifestSyntaxException"/> with the line of the first error.</summary>
    public static List<ParsedDocument> Parse(string text) => new YamlManifestParser(text).ParseStream();

    private List<ParsedDocument> ParseStream()
    {
        var documents = new List<ParsedDocument>();
        try
        {
            Expect<StreamStart>();
            while (!Accept<StreamEnd>())
            {
                Expect<DocumentStart>();
                _anchors.Clear();
                _lines.Clear();
                var line = Peek().Start.Line;
                var root = ParseNode(depth: 0, out _);
                Expect<DocumentEnd>();
                documents.Add(new ParsedDocument(root, (int)line, new Dictionary<JsonNode, int>(_lines, ReferenceEqualityComparer.Instance)));
            }
        }
        catch (YamlException e)
        {
            var line = e.Message.Contains("tab", StringComparison.Ordinal) ? FindTabIndentedLine((int)e.Start.Line) : (int)e.Start.Line;
            throw new ManifestSyntaxException(line, "YAML syntax error: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some malformed flow collections instead of a YamlException.
            throw new ManifestSyntaxException(_lastLine, "YAML syntax error: unterminated or malformed flow collection ([...] or {...}) (" + e.Message + ")");
        }

        return documents;
    }

    /// <summary>
    /// YamlDotNet reports a tab in indentation at the start of the enclosing mapping, often lines
    /// earlier; point at the first line after the last parsed event that is indented with a tab instead.
    /// </summary>
    private int FindTabIndentedLine(int reported)
    {
        var lines = _text.Split('\n');
        for (var i = Math.Max(reported, _lastLine) - 1; i < lines.Length; i++)
        {
            var indentation = lines[i].AsSpan()[..(lines[i].Length - lines[i].TrimStart().Length)];
            if (indentation.Contains('\t'))
            {
                return i + 1;
            }
        }

        return reported;
    }

    private JsonNode? ParseNode(int depth, out long size)
    {
        if (depth > MaxDepth)
        {
            throw new ManifestSyntaxException(_lastLine, $"the document nests deeper than {MaxDepth} levels");
        }

        var current = Peek();
        switch (current)
        {
            case AnchorAlias alias:
                Next();
                if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
                {
                    throw new ManifestSyntaxException((int)alias.Start.Line, $"alias *{alias.Value.Value} refers to an unknown anchor");
                }

                Count(anchored.Size, alias.Start.Line);
                size = anchored.Size;
                return anchored.Node?.DeepClone();
            case Scalar scalar:
                Next();
                Count(1, scalar.Start.Line);
                size = 1;
                var value = YamlScalarResolver.Resolve(
                    scalar.Value,
                    scalar.Tag.IsEmpty ? "" : scalar.Tag.Value,
                    scalar.Style is ScalarStyle.Plain or ScalarStyle.Any,
                    (int)scalar.Start.Line);
                Remember(scalar.Anchor, value, size);
                return value;
            case SequenceStart sequenceStart:
                Next();
                var array = new JsonArray();
                _lines[array] = (int)sequenceStart.Start.Line;
                size = 1;
                while (!Accept<SequenceEnd>())
                {
                    array.Add(ParseNode(depth + 1, out var itemSize));
                    size += itemSize;
                }

                Count(1, sequenceStart.Start.Line);
                Remember(sequenceStart.Anchor, array, size);
                return array;
            case MappingStart mappingStart:
                Next();
                var obj = ParseMapping(mappingStart, depth, out size);
                Remember(mappingStart.Anchor, obj, size);
                return obj;
            default:
                throw new ManifestSyntaxException((int)current.Start.Line, $"unexpected YAML event {current.GetType().Name}");
        }
    }

    private JsonObject ParseMapping(MappingStart start, int depth, out long size)
    {
        var obj = new JsonObject();
        _lines[obj] = (int)start.Start.Line;
        size = 1;
        var merged = new List<JsonObject>();
        while (!Accept<MappingEnd>())
        {
            var keyEvent = Peek();
            var keyLine = (int)keyEvent.Start.Line;
            if (keyEvent is MappingStart or SequenceStart)
            {
                throw new ManifestSyntaxException(keyLine, "a mapping key is a list or a mapping; JSON object keys must be strings");
            }

            var isMergeKey = keyEvent is Scalar { Value: "<<", Style: ScalarStyle.Plain } mergeKey && mergeKey.Tag.IsEmpty;
            var keyNode = ParseNode(depth + 1, out _);
            var value = ParseNode(depth + 1, out var valueSize);
            size += valueSize + 1;
            if (isMergeKey)
            {
                CollectMergeSources(value, keyLine, merged);
                continue;
            }

            var key = YamlScalarResolver.ResolveKey(keyNode, keyLine);
            if (obj.ContainsKey(key))
            {
                throw new ManifestSyntaxException(keyLine, $"duplicate key \"{key}\"");
            }

            obj[key] = value;
        }

        // YAML merge keys: earlier sources win over later ones, explicit keys over all.
        foreach (var source in merged)
        {
            foreach (var (key, value) in source)
            {
                if (!obj.ContainsKey(key))
                {
                    obj[key] = value?.DeepClone();
                }
            }
        }

        Count(1, start.Start.Line);
        return obj;
    }

    private static void CollectMergeSources(JsonNode? value, int line, List<JsonObject> merged)
    {
        switch (value)
        {
            case JsonObject single:
                merged.Add(single);
                break;
            case JsonArray many when many.All(item => item is JsonObject):
                merged.AddRange(many.Cast<JsonObject>());
                break;
            default:
                throw new ManifestSyntaxException(line, "a merge key (<<) must refer to a mapping or a list of mappings");
        }
    }

    private void Remember(AnchorName anchor, JsonNode? node, long size)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = (node, size);
        }
    }

    private void Count(long nodes, long line)
    {
        _nodes += nodes;
        if (_nodes > MaxNodes)
        {
            throw new ManifestSyntaxException((int)line, $"the document expands to more than {MaxNodes} values (aliases?)");
        }
    }

    private ParsingEvent Peek()
    {
        if (_parser.Current is null && !_parser.MoveNext())
        {
            throw new ManifestSyntaxException(_lastLine, "unexpected end of input");
        }

        var current = _parser.Current!;
        _lastLine = (int)current.End.Line;
        return current;
    }

    private void Next() => _parser.MoveNext();

    private bool Accept<T>()
        where T : ParsingEvent
    {
        if (Peek() is T)
        {
            Next();
            return true;
        }

        return false;
    }

    private void Expect<T>()
        where T : ParsingEvent
    {
        var current = Peek();
        if (current is not T)
        {
            throw new ManifestSyntaxException((int)current.Start.Line, $"expected {typeof(T).Name} but found {current.GetType().Name}");
        }

        Next();
    }
}
