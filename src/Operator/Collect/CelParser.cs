// Over 400 lines: one recursive-descent parser for the CEL subset, lexer included, so the grammar reads top to bottom.
using System.Globalization;
using System.Text;

namespace Kollect.Operator.Collect;

/// <summary>
/// Parser for the CEL subset of attribute paths (SPEC §3, text after <c>cel:</c>): the variable
/// <c>object</c>; field selection <c>a.b</c> and indexing <c>a["k"]</c>, <c>a[0]</c>;
/// <c>size(x)</c> / <c>x.size()</c>; <c>has(a.b)</c>; <c>s.startsWith(t)</c>,
/// <c>s.endsWith(t)</c>, <c>s.contains(t)</c>; <c>!</c>, unary <c>-</c>, <c>&amp;&amp;</c>,
/// <c>||</c>, <c>== != &lt; &lt;= &gt; &gt;=</c>, <c>in</c>, <c>?:</c>; int (decimal, hex),
/// double, string (quoted, raw <c>r"…"</c>, CEL escapes), bool and null literals; list literals
/// and parentheses. Anything else of CEL (arithmetic, map literals, macros, other functions,
/// unsigned and bytes literals, triple-quoted strings) is rejected with "not supported: …".
/// </summary>
public static class CelParser
{
    // Every nesting level (parentheses, brackets, unary operators, call arguments) costs stack;
    // the bound turns a hostile expression into a syntax error instead of a crash.
    private const int MaxDepth = 64;

    // Chains (a.b.c…, x || y || …) build trees without nesting in the text; the evaluator recurses
    // over them, so their size is bounded too.
    private const int MaxNodes = 1000;

    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", // not a Kollect field: CEL reserved words
        "loop", "package", "namespace", "return", "var", "void", "while",
    };

    private static readonly HashSet<string> Macros = new(StringComparer.Ordinal)
    {
        "all", "exists", "exists_one", "map", "filter",
    };

    /// <summary>Parses a CEL expression (without the <c>cel:</c> prefix); throws <see cref="AttributePathSyntaxException"/>.</summary>
    public static CelExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        var expression = parser.ParseExpression();
        if (parser.Current.Kind != TokenKind.End)
        {
            throw parser.Unexpected("an operator or the end of the expression");
        }
        return expression;
    }

    private enum TokenKind
    {
        End,
        Identifier,
        Int,
        Double,
        String,
        Punctuation,
    }

    private readonly record struct Token(TokenKind Kind, int Position, string Text, PathValue? Value);

    private sealed class Parser
    {
        private readonly string text;
        private int offset;
        private int depth;
        private int nodes;

        public Parser(string text)
        {
            this.text = text;
            Current = Scan();
        }

        public Token Current { get; private set; }

        public CelExpression ParseExpression()
        {
            Enter();
            var condition = ParseOr();
            if (IsPunctuation("?"))
            {
                var position = Current.Position;
                Advance();
                var whenTrue = ParseOr();
                Expect(":", "':' of the conditional '?:'");
                var whenFalse = ParseExpression();
                condition = new CelExpression.Conditional(position, condition, whenTrue, whenFalse);
            }
            depth--;
            return condition;
        }

        private CelExpression ParseOr()
        {
            var left = ParseAnd();
            while (IsPunctuation("||"))
            {
                var position = Current.Position;
                Advance();
                Count(position);
                left = new CelExpression.Or(position, left, ParseAnd());
            }
            return left;
        }

        private CelExpression ParseAnd()
        {
            var left = ParseRelation();
            while (IsPunctuation("&&"))
            {
                var position = Current.Position;
                Advance();
                Count(position);
                left = new CelExpression.And(position, left, ParseRelation());
            }
            return left;
        }

        private CelExpression ParseRelation()
        {
            var left = ParseArithmetic();
            while (true)
            {
                var position = Current.Position;
                if (Current.Kind == TokenKind.Identifier && Current.Text == "in")
                {
                    Advance();
                    Count(position);
                    left = new CelExpression.In(position, left, ParseArithmetic());
                    continue;
                }
                CelComparison? comparison = Current.Kind == TokenKind.Punctuation ? Current.Text switch
                {
                    "==" => CelComparison.Equal,
                    "!=" => CelComparison.NotEqual,
                    "<" => CelComparison.Less,
                    "<=" => CelComparison.LessOrEqual,
                    ">" => CelComparison.Greater,
                    ">=" => CelComparison.GreaterOrEqual,
                    _ => null,
                } : null;
                if (comparison is null)
                {
                    return left;
                }
                Advance();
                Count(position);
                left = new CelExpression.Compare(position, comparison.Value, left, ParseArithmetic());
            }
        }

        private CelExpression ParseArithmetic()
        {
            var operand = ParseUnary();
            if (Current.Kind == TokenKind.Punctuation && Current.Text is "+" or "-" or "*" or "/" or "%")
            {
                throw Error(Current.Position, $"not supported: arithmetic operator '{Current.Text}'");
            }
            return operand;
        }

        private CelExpression ParseUnary()
        {
            Enter();
            CelExpression result;
            var position = Current.Position;
            if (IsPunctuation("!"))
            {
                Advance();
                result = new CelExpression.Not(position, ParseUnary());
            }
            else if (IsPunctuation("-"))
            {
                Advance();
                if (Current.Kind == TokenKind.Int && Current.Position == position + 1)
                {
                    result = ParseMember(NegativeInt(position));
                }
                else
                {
                    result = new CelExpression.Negate(position, ParseUnary());
                }
            }
            else
            {
                result = ParseMember(ParsePrimary());
            }
            depth--;
            return result;
        }

        private CelExpression NegativeInt(int position)
        {
            var digits = Current.Text;
            var value = ParseIntLiteral("-" + digits, Current.Position);
            Advance();
            return new CelExpression.Literal(position, PathValue.FromInt(value));
        }

        private CelExpression ParseMember(CelExpression operand)
        {
            while (true)
            {
                if (IsPunctuation("."))
                {
                    Count(Current.Position);
                    Advance();
                    if (IsPunctuation("?"))
                    {
                        throw Error(Current.Position, "not supported: optional field selection '.?'");
                    }
                    var name = ExpectIdentifier("a field name after '.'");
                    if (IsPunctuation("("))
                    {
                        operand = ParseMethod(operand, name);
                    }
                    else
                    {
                        operand = new CelExpression.Select(name.Position, operand, name.Text);
                    }
                }
                else if (IsPunctuation("["))
                {
                    var position = Current.Position;
                    Count(position);
                    Advance();
                    if (IsPunctuation("?"))
                    {
                        throw Error(Current.Position, "not supported: optional index '[?'");
                    }
                    var key = ParseExpression();
                    Expect("]", "']'");
                    operand = new CelExpression.Index(position, operand, key);
                }
                else
                {
                    return operand;
                }
            }
        }

        private CelExpression ParseMethod(CelExpression target, Token name)
        {
            if (Macros.Contains(name.Text))
            {
                throw Error(name.Position, $"not supported: macro '{name.Text}'");
            }
            var expectedArguments = name.Text switch
            {
                "size" => 0,
                "startsWith" or "endsWith" or "contains" => 1,
                _ => throw Error(name.Position, $"not supported: method '{name.Text}()' (supported: size, startsWith, endsWith, contains)"),
            };
            var arguments = ParseArguments();
            if (arguments.Count != expectedArguments)
            {
                throw Error(name.Position, $"method '{name.Text}' takes {expectedArguments} argument(s), found {arguments.Count}");
            }
            return new CelExpression.Call(name.Position, name.Text, target, arguments);
        }

        private List<CelExpression> ParseArguments()
        {
            Expect("(", "'('");
            var arguments = new List<CelExpression>();
            if (IsPunctuation(")"))
            {
                Advance();
                return arguments;
            }
            while (true)
            {
                arguments.Add(ParseExpression());
                if (IsPunctuation(","))
                {
                    Advance();
                    continue;
                }
                Expect(")", "',' or ')'");
                return arguments;
            }
        }

        private CelExpression ParsePrimary()
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Int:
                    Advance();
                    return new CelExpression.Literal(token.Position, PathValue.FromInt(ParseIntLiteral(token.Text, token.Position)));
                case TokenKind.Double:
                case TokenKind.String:
                    Advance();
                    return new CelExpression.Literal(token.Position, token.Value!);
                case TokenKind.Identifier:
                    return ParseIdentifier(token);
                case TokenKind.Punctuation when token.Text == "(":
                    Advance();
                    var inner = ParseExpression();
                    Expect(")", "')'");
                    return inner;
                case TokenKind.Punctuation when token.Text == "[":
                    return ParseList();
                case TokenKind.Punctuation when token.Text == "{":
                    throw Error(token.Position, "not supported: map and message literals '{…}'");
                case TokenKind.Punctuation when token.Text == ".":
                    throw Error(token.Position, "not supported: leading '.' (qualified names); start with 'object'");
                default:
                    throw Unexpected("a value (object, a literal, '(' or '[')");
            }
        }

        private CelExpression ParseIdentifier(Token token)
        {
            Advance();
            switch (token.Text)
            {
                case "true":
                    return new CelExpression.Literal(token.Position, PathValue.True);
                case "false":
                    return new CelExpression.Literal(token.Position, PathValue.False);
                case "null":
                    return new CelExpression.Literal(token.Position, PathValue.Null);
                case "in":
                    throw Error(token.Position, "expected a value, found the operator 'in'");
            }
            if (ReservedWords.Contains(token.Text))
            {
                throw Error(token.Position, $"'{token.Text}' is a reserved word in CEL");
            }
            if (!IsPunctuation("("))
            {
                if (token.Text == "object")
                {
                    return new CelExpression.ObjectVariable(token.Position);
                }
                throw Error(token.Position, $"unknown variable '{token.Text}'; the only variable is 'object'");
            }
            if (token.Text == "has")
            {
                var argumentsPosition = Current.Position;
                var arguments = ParseArguments();
                if (arguments.Count != 1 || arguments[0] is not CelExpression.Select select)
                {
                    throw Error(argumentsPosition, "has() takes one field selection, such as has(object.spec.replicas)");
                }
                return new CelExpression.Has(token.Position, select);
            }
            if (token.Text == "size")
            {
                var arguments = ParseArguments();
                if (arguments.Count != 1)
                {
                    throw Error(token.Position, $"size() takes 1 argument, found {arguments.Count}");
                }
                return new CelExpression.Call(token.Position, "size", null, arguments);
            }
            if (Macros.Contains(token.Text))
            {
                throw Error(token.Position, $"not supported: macro '{token.Text}'");
            }
            throw Error(token.Position, $"not supported: function '{token.Text}()' (supported: size, has)");
        }

        private CelExpression ParseList()
        {
            var position = Current.Position;
            Advance();
            var items = new List<CelExpression>();
            while (!IsPunctuation("]"))
            {
                Count(Current.Position);
                items.Add(ParseExpression());
                if (IsPunctuation(","))
                {
                    Advance();
                    continue;
                }
                if (!IsPunctuation("]"))
                {
                    throw Unexpected("',' or ']'");
                }
            }
            Advance();
            return new CelExpression.ListLiteral(position, items);
        }

        private long ParseIntLiteral(string literal, int position)
        {
            var negative = literal.StartsWith('-');
            var digits = negative ? literal[1..] : literal;
            bool ok;
            long value;
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                ok = ulong.TryParse(digits.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var magnitude)
                    && (magnitude <= long.MaxValue || (negative && magnitude == 1UL + long.MaxValue));
                value = ok ? (negative ? (long)(0UL - magnitude) : (long)magnitude) : 0;
            }
            else
            {
                ok = long.TryParse(negative ? "-" + digits : digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            }
            if (!ok)
            {
                throw Error(position, $"integer literal '{literal}' is out of the int64 range");
            }
            return value;
        }

        private void Count(int position)
        {
            if (++nodes > MaxNodes)
            {
                throw Error(position, $"expression too long: more than {MaxNodes} operations");
            }
        }

        private void Enter()
        {
            if (++depth > MaxDepth)
            {
                throw Error(Current.Position, $"expression nested deeper than {MaxDepth} levels");
            }
        }

        private bool IsPunctuation(string punctuation) => Current.Kind == TokenKind.Punctuation && Current.Text == punctuation;

        private void Advance() => Current = Scan();

        private void Expect(string punctuation, string expected)
        {
            if (!IsPunctuation(punctuation))
            {
                throw Unexpected(expected);
            }
            Advance();
        }

        private Token ExpectIdentifier(string expected)
        {
            if (Current.Kind != TokenKind.Identifier)
            {
                throw Unexpected(expected);
            }
            var token = Current;
            Advance();
            return token;
        }

        public AttributePathSyntaxException Unexpected(string expected) =>
            Error(Current.Position, $"expected {expected}, found {Describe(Current)}");

        private static string Describe(Token token) => token.Kind switch
        {
            TokenKind.End => "the end of the expression",
            TokenKind.String => "a string literal",
            _ => $"'{token.Text}'",
        };

        private static AttributePathSyntaxException Error(int position, string problem) => new(position, problem);

        private Token Scan()
        {
            while (offset < text.Length && char.IsWhiteSpace(text[offset]))
            {
                offset++;
            }
            if (offset >= text.Length)
            {
                return new Token(TokenKind.End, text.Length, "", null);
            }
            var start = offset;
            var c = text[offset];
            if ((c is 'r' or 'R') && offset + 1 < text.Length && text[offset + 1] is '"' or '\'')
            {
                offset++;
                return ScanString(start, raw: true);
            }
            if ((c is 'b' or 'B') && offset + 1 < text.Length && text[offset + 1] is '"' or '\'')
            {
                throw Error(start, "not supported: bytes literals");
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (offset < text.Length && (char.IsAsciiLetterOrDigit(text[offset]) || text[offset] == '_'))
                {
                    offset++;
                }
                return new Token(TokenKind.Identifier, start, text[start..offset], null);
            }
            if (char.IsAsciiDigit(c))
            {
                return ScanNumber(start);
            }
            if (c is '"' or '\'')
            {
                return ScanString(start, raw: false);
            }
            foreach (var punctuation in new[] { "&&", "||", "==", "!=", "<=", ">=" })
            {
                if (string.CompareOrdinal(text, offset, punctuation, 0, 2) == 0)
                {
                    offset += 2;
                    return new Token(TokenKind.Punctuation, start, punctuation, null);
                }
            }
            if ("()[]{}.,?:!<>+-*/%".Contains(c))
            {
                offset++;
                return new Token(TokenKind.Punctuation, start, c.ToString(), null);
            }
            if (c is '=' or '&' or '|')
            {
                throw Error(start, $"unexpected '{c}' (did you mean '{c}{c}'?)");
            }
            throw Error(start, $"unexpected character '{c}'");
        }

        private Token ScanNumber(int start)
        {
            if (text[offset] == '0' && offset + 1 < text.Length && text[offset + 1] is 'x' or 'X')
            {
                offset += 2;
                while (offset < text.Length && char.IsAsciiHexDigit(text[offset]))
                {
                    offset++;
                }
                if (offset == start + 2)
                {
                    throw Error(start, "expected hexadecimal digits after '0x'");
                }
                RejectUnsignedSuffix(start);
                return new Token(TokenKind.Int, start, text[start..offset], null);
            }
            while (offset < text.Length && char.IsAsciiDigit(text[offset]))
            {
                offset++;
            }
            var isDouble = false;
            if (offset + 1 < text.Length && text[offset] == '.' && char.IsAsciiDigit(text[offset + 1]))
            {
                isDouble = true;
                offset++;
                while (offset < text.Length && char.IsAsciiDigit(text[offset]))
                {
                    offset++;
                }
            }
            if (offset < text.Length && text[offset] is 'e' or 'E')
            {
                var exponentStart = offset;
                offset++;
                if (offset < text.Length && text[offset] is '+' or '-')
                {
                    offset++;
                }
                var digitsStart = offset;
                while (offset < text.Length && char.IsAsciiDigit(text[offset]))
                {
                    offset++;
                }
                if (offset == digitsStart)
                {
                    throw Error(exponentStart, "expected digits in the exponent of a number");
                }
                isDouble = true;
            }
            var literal = text[start..offset];
            if (!isDouble)
            {
                RejectUnsignedSuffix(start);
                return new Token(TokenKind.Int, start, literal, null);
            }
            var value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(value))
            {
                throw Error(start, $"double literal '{literal}' is out of range");
            }
            return new Token(TokenKind.Double, start, literal, PathValue.FromDouble(value));
        }

        private void RejectUnsignedSuffix(int start)
        {
            if (offset < text.Length && text[offset] is 'u' or 'U')
            {
                throw Error(start, "not supported: unsigned integer literals ('…u')");
            }
        }

        private Token ScanString(int start, bool raw)
        {
            var quote = text[offset];
            if (offset + 2 < text.Length && text[offset + 1] == quote && text[offset + 2] == quote)
            {
                throw Error(start, "not supported: triple-quoted strings");
            }
            offset++;
            var builder = new StringBuilder();
            while (true)
            {
                if (offset >= text.Length || text[offset] is '\n' or '\r')
                {
                    throw Error(start, $"unterminated string literal: missing closing {quote}");
                }
                var c = text[offset++];
                if (c == quote)
                {
                    return new Token(TokenKind.String, start, text[start..offset], PathValue.FromString(builder.ToString()));
                }
                if (c != '\\' || raw)
                {
                    builder.Append(c);
                    continue;
                }
                ScanEscape(builder);
            }
        }

        private void ScanEscape(StringBuilder builder)
        {
            var escapeStart = offset - 1;
            if (offset >= text.Length)
            {
                throw Error(escapeStart, "unterminated escape sequence");
            }
            var c = text[offset++];
            switch (c)
            {
                case 'a': builder.Append('\a'); return;
                case 'b': builder.Append('\b'); return;
                case 'f': builder.Append('\f'); return;
                case 'n': builder.Append('\n'); return;
                case 'r': builder.Append('\r'); return;
                case 't': builder.Append('\t'); return;
                case 'v': builder.Append('\v'); return;
                case '\\' or '\'' or '"' or '`' or '?': builder.Append(c); return;
                case 'x' or 'X': AppendCodePoint(builder, ReadHex(2, escapeStart), escapeStart); return;
                case 'u': AppendCodePoint(builder, ReadHex(4, escapeStart), escapeStart); return;
                case 'U': AppendCodePoint(builder, ReadHex(8, escapeStart), escapeStart); return;
            }
            if (c is >= '0' and <= '3' && offset + 1 < text.Length
                && text[offset] is >= '0' and <= '7' && text[offset + 1] is >= '0' and <= '7')
            {
                var value = ((c - '0') * 64) + ((text[offset] - '0') * 8) + (text[offset + 1] - '0');
                offset += 2;
                builder.Append((char)value);
                return;
            }
            throw Error(escapeStart, $"invalid escape sequence '\\{c}'");
        }

        private int ReadHex(int count, int escapeStart)
        {
            if (offset + count > text.Length
                || !int.TryParse(text.AsSpan(offset, count), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
                || text.AsSpan(offset, count).ContainsAnyExcept("0123456789abcdefABCDEF"))
            {
                throw Error(escapeStart, $"escape sequence needs {count} hexadecimal digits");
            }
            offset += count;
            return value;
        }

        private static void AppendCodePoint(StringBuilder builder, int codePoint, int escapeStart)
        {
            if (!System.Text.Rune.IsValid(codePoint))
            {
                throw Error(escapeStart, $"escape sequence names an invalid code point U+{codePoint:X}");
            }
            builder.Append(new System.Text.Rune(codePoint).ToString());
        }
    }
}
