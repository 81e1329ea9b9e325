using System.Globalization;
using System.Text;

namespace Kollect.Operator.Collect;

/// <summary>
/// Parser for the kubectl JSONPath subset of SPEC §3: an optional <c>{…}</c> template around
/// an optional <c>$</c> followed by <c>.name</c>, <c>.*</c>, <c>[n]</c>, <c>[*]</c>,
/// <c>['key.with.dots']</c>, <c>["key"]</c> and <c>[?(@.f == "v")]</c> steps (filters also
/// take <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, number, bool and null
/// literals, and <c>[?(@.f)]</c> for "present"). Everything else kubectl
/// knows (<c>..</c>, slices, unions, functions, range/end templates, regular expressions) is
/// rejected with "not supported: …" so that <c>kollect validate</c> catches it before run time.
/// Field names after a dot may contain letters, digits, <c>_</c>, <c>-</c>, <c>/</c> and
/// backslash-escaped characters (<c>\.</c>), as in kubectl.
/// </summary>
public static class JsonPathParser
{
    // Filters nest through brackets; the bound keeps a hostile path from exhausting the stack.
    private const int MaxFilterDepth = 16;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="AttributePathSyntaxException"/> when it is not in the subset.</summary>
    public static JsonPathExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cursor = new Cursor(text);
        cursor.SkipWhitespace();
        var braced = false;
        if (cursor.Peek == '{')
        {
            braced = true;
            cursor.Position++;
            cursor.SkipWhitespace();
            RejectTemplateKeyword(cursor);
        }
        if (cursor.Peek == '$')
        {
            cursor.Position++;
        }
        else if (cursor.Peek != '.' && cursor.Peek != '[')
        {
            throw cursor.Error(cursor.AtEnd || (braced && cursor.Peek == '}')
                ? "expected a path starting with '$', '.' or '[', found the end of the path"
                : $"expected a path starting with '$', '.' or '[', found {cursor.Describe()}");
        }
        var segments = ParseSegments(cursor, depth: 0);
        cursor.SkipWhitespace();
        if (braced)
        {
            if (cursor.Peek != '}')
            {
                throw cursor.Error($"expected '}}' to close the template, found {cursor.Describe()}");
            }
            cursor.Position++;
            cursor.SkipWhitespace();
            if (!cursor.AtEnd)
            {
                throw cursor.Error("not supported: text or further templates after '}' (one template per attribute)");
            }
        }
        else if (!cursor.AtEnd)
        {
            throw cursor.Error(cursor.Peek == '}'
                ? "unexpected '}' without an opening '{'"
                : $"expected '.', '[' or the end of the path, found {cursor.Describe()}");
        }
        return new JsonPathExpression(text, segments);
    }

    private static void RejectTemplateKeyword(Cursor cursor)
    {
        foreach (var keyword in new[] { "range", "end" })
        {
            if (cursor.Rest.StartsWith(keyword, StringComparison.Ordinal)
                && (cursor.Rest.Length == keyword.Length || !IsNameChar(cursor.Rest[keyword.Length])))
            {
                throw cursor.Error($"not supported: '{keyword}' templates");
            }
        }
    }

    private static List<JsonPathSegment> ParseSegments(Cursor cursor, int depth)
    {
        var segments = new List<JsonPathSegment>();
        while (!cursor.AtEnd)
        {
            var c = cursor.Peek;
            if (c == '.')
            {
                if (cursor.PeekAt(1) == '.')
                {
                    throw cursor.Error("not supported: recursive descent '..'; spell out each field");
                }
                cursor.Position++;
                if (cursor.Peek == '*')
                {
                    cursor.Position++;
                    segments.Add(new JsonPathSegment.Wildcard());
                    continue;
                }
                var start = cursor.Position;
                var name = ReadName(cursor);
                if (name.Length == 0)
                {
                    throw cursor.Error($"expected a field name after '.', found {cursor.Describe()} (use ['…'] for keys with other characters)");
                }
                if (cursor.Peek == '(')
                {
                    throw new AttributePathSyntaxException(start, $"not supported: function '{name}()'");
                }
                segments.Add(new JsonPathSegment.Field(name));
            }
            else if (c == '[')
            {
                segments.Add(ParseBracket(cursor, depth));
            }
            else
            {
                break;
            }
        }
        return segments;
    }

    private static JsonPathSegment ParseBracket(Cursor cursor, int depth)
    {
        cursor.Position++;
        cursor.SkipWhitespace();
        JsonPathSegment segment;
        var c = cursor.Peek;
        if (c == '*')
        {
            cursor.Position++;
            segment = new JsonPathSegment.AllElements();
        }
        else if (c is '\'' or '"')
        {
            segment = new JsonPathSegment.Field(ReadQuoted(cursor));
        }
        else if (c == '?')
        {
            cursor.Position++;
            segment = ParseFilter(cursor, depth + 1);
        }
        else if (c == '-' || char.IsAsciiDigit(c))
        {
            segment = new JsonPathSegment.Index(ReadIndex(cursor));
        }
        else if (c == ':')
        {
            throw cursor.Error("not supported: array slices ('[a:b]')");
        }
        else
        {
            throw cursor.Error($"expected an index, '*', a quoted key or a filter '?(…)' after '[', found {cursor.Describe()}");
        }
        cursor.SkipWhitespace();
        if (cursor.Peek == ',')
        {
            throw cursor.Error("not supported: unions ('[a,b]'); use one attribute per value");
        }
        if (cursor.Peek == ':')
        {
            throw cursor.Error("not supported: array slices ('[a:b]')");
        }
        if (cursor.Peek != ']')
        {
            throw cursor.Error($"expected ']', found {cursor.Describe()}");
        }
        cursor.Position++;
        return segment;
    }

    private static int ReadIndex(Cursor cursor)
    {
        var start = cursor.Position;
        if (cursor.Peek == '-')
        {
            cursor.Position++;
        }
        var digitsStart = cursor.Position;
        while (char.IsAsciiDigit(cursor.Peek))
        {
            cursor.Position++;
        }
        if (cursor.Position == digitsStart)
        {
            throw cursor.Error($"expected digits after '-', found {cursor.Describe()}");
        }
        if (!int.TryParse(cursor.Text.AsSpan(start, cursor.Position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            throw new AttributePathSyntaxException(start, "array index out of range");
        }
        return index;
    }

    private static JsonPathSegment ParseFilter(Cursor cursor, int depth)
    {
        if (depth > MaxFilterDepth)
        {
            throw cursor.Error($"filters nested deeper than {MaxFilterDepth} levels");
        }
        cursor.SkipWhitespace();
        if (cursor.Peek != '(')
        {
            throw cursor.Error($"expected '(' after '?', found {cursor.Describe()}");
        }
        cursor.Position++;
        cursor.SkipWhitespace();
        if (cursor.Peek != '@')
        {
            throw cursor.Error($"expected '@' (the current element) in the filter, found {cursor.Describe()}");
        }
        cursor.Position++;
        var path = ParseSegments(cursor, depth);
        cursor.SkipWhitespace();
        JsonPathComparison? comparison = null;
        PathValue? literal = null;
        if (cursor.Peek != ')')
        {
            comparison = ReadComparison(cursor);
            cursor.SkipWhitespace();
            literal = ReadLiteral(cursor);
            cursor.SkipWhitespace();
        }
        if (cursor.Peek is '&' or '|')
        {
            throw cursor.Error("not supported: combining filter conditions with '&&' or '||'");
        }
        if (cursor.Peek != ')')
        {
            throw cursor.Error($"expected ')' to close the filter, found {cursor.Describe()}");
        }
        cursor.Position++;
        return new JsonPathSegment.Filter(path, comparison, literal);
    }

    private static JsonPathComparison ReadComparison(Cursor cursor)
    {
        var c = cursor.Peek;
        var next = cursor.PeekAt(1);
        switch (c)
        {
            case '=' when next == '=':
                cursor.Position += 2;
                return JsonPathComparison.Equal;
            case '=' when next == '~':
                throw cursor.Error("not supported: regular expression match '=~'");
            case '!' when next == '=':
                cursor.Position += 2;
                return JsonPathComparison.NotEqual;
            case '<' when next == '=':
                cursor.Position += 2;
                return JsonPathComparison.LessOrEqual;
            case '<':
                cursor.Position++;
                return JsonPathComparison.Less;
            case '>' when next == '=':
                cursor.Position += 2;
                return JsonPathComparison.GreaterOrEqual;
            case '>':
                cursor.Position++;
                return JsonPathComparison.Greater;
            case '=':
                throw cursor.Error("expected '==' (a single '=' is not a comparison)");
            default:
                throw cursor.Error($"expected ')', or a comparison '==', '!=', '<', '<=', '>', '>=', found {cursor.Describe()}");
        }
    }

    private static PathValue ReadLiteral(Cursor cursor)
    {
        var c = cursor.Peek;
        if (c is '\'' or '"')
        {
            return PathValue.FromString(ReadQuoted(cursor));
        }
        if (c == '@' || c == '$')
        {
            throw cursor.Error("not supported: comparing with another path; compare with a literal");
        }
        if (c == '-' || char.IsAsciiDigit(c))
        {
            var start = cursor.Position;
            cursor.Position++;
            while (char.IsAsciiDigit(cursor.Peek) || cursor.Peek is '.' or 'e' or 'E' or '+' or '-')
            {
                cursor.Position++;
            }
            var text = cursor.Text.AsSpan(start, cursor.Position - start);
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return PathValue.FromInt(integer);
            }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            {
                return PathValue.FromDouble(number);
            }
            throw new AttributePathSyntaxException(start, $"invalid number '{text}'");
        }
        var wordStart = cursor.Position;
        var word = ReadName(cursor);
        return word switch
        {
            "true" => PathValue.True,
            "false" => PathValue.False,
            "null" => PathValue.Null,
            _ => throw new AttributePathSyntaxException(wordStart, word.Length == 0
                ? $"expected a literal (quoted string, number, true, false or null), found {cursor.Describe()}"
                : $"expected a literal (quoted string, number, true, false or null), found '{word}' (quote strings)"),
        };
    }

    private static string ReadQuoted(Cursor cursor)
    {
        var quote = cursor.Peek;
        var start = cursor.Position;
        cursor.Position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (cursor.AtEnd)
            {
                throw new AttributePathSyntaxException(start, $"unterminated string: missing closing {quote}");
            }
            var c = cursor.Peek;
            cursor.Position++;
            if (c == quote)
            {
                return builder.ToString();
            }
            if (c == '\\')
            {
                if (cursor.AtEnd)
                {
                    throw new AttributePathSyntaxException(start, $"unterminated string: missing closing {quote}");
                }
                builder.Append(cursor.Peek);
                cursor.Position++;
                continue;
            }
            builder.Append(c);
        }
    }

    private static string ReadName(Cursor cursor)
    {
        var builder = new StringBuilder();
        while (!cursor.AtEnd)
        {
            var c = cursor.Peek;
            if (c == '\\' && cursor.Position + 1 < cursor.Text.Length)
            {
                builder.Append(cursor.Text[cursor.Position + 1]);
                cursor.Position += 2;
                continue;
            }
            if (!IsNameChar(c))
            {
                break;
            }
            builder.Append(c);
            cursor.Position++;
        }
        return builder.ToString();
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '/';

    private sealed class Cursor(string text)
    {
        public string Text { get; } = text;
        public int Position { get; set; }
        public bool AtEnd => Position >= Text.Length;
        public char Peek => AtEnd ? '\0' : Text[Position];
        public ReadOnlySpan<char> Rest => Text.AsSpan(Math.Min(Position, Text.Length));

        public char PeekAt(int offset) => Position + offset < Text.Length ? Text[Position + offset] : '\0';

        public void SkipWhitespace()
        {
            while (!AtEnd && char.IsWhiteSpace(Text[Position]))
            {
                Position++;
            }
        }

        public string Describe() => AtEnd ? "the end of the path" : $"'{Text[Position]}'";

        public AttributePathSyntaxException Error(string problem) => new(Position, problem);
    }
}
