namespace Kollect.Operator.Export;

/// <summary>
/// Orders strings by Unicode code point, which is the byte order of their UTF-8 encoding — the
/// order Go's <c>sort.Strings</c> (and so <c>encoding/json</c> map keys) uses. Plain ordinal
/// comparison of UTF-16 differs only between supplementary characters (surrogate pairs) and
/// U+E000..U+FFFF; this comparer corrects that case.
/// </summary>
public sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    int IComparer<string>.Compare(string? x, string? y) => Compare(x, y);

    public static int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return -1;
        }
        if (y is null)
        {
            return 1;
        }
        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            var a = x[i];
            var b = y[i];
            if (a != b)
            {
                return Fix(a) - Fix(b);
            }
        }
        return x.Length - y.Length;
    }

    // Moves surrogates (U+D800..U+DFFF) above U+E000..U+FFFF so UTF-16 units sort like code points.
    private static int Fix(char c) => c >= 0xD800 ? (c >= 0xE000 ? c - 0x800 : c + 0x2000) : c;
}
