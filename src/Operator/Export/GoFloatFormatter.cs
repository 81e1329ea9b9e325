using System.Globalization;

namespace Kollect.Operator.Export;

/// <summary>
/// Formats a float64 exactly as Go's <c>encoding/json</c> does: the shortest decimal that
/// round-trips (<c>strconv.AppendFloat(f, 'f', -1, 64)</c>) when 1e-6 ≤ |f| &lt; 1e21 or f is
/// zero, otherwise <c>'e'</c> format with a two-digit minimum exponent, after which JSON's
/// encoder shortens a negative exponent <c>e-0X</c> to <c>e-X</c> (so 1e-7 is <c>1e-7</c>, while
/// 1e21 is <c>1e+21</c>). Negative zero is <c>-0</c>.
/// </summary>
public static class GoFloatFormatter
{
    /// <summary>Formats <paramref name="value"/> (finite) as a string.</summary>
    public static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[32];
        var written = Format(value, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..written]);
    }

    /// <summary>Writes <paramref name="value"/> (finite) into <paramref name="destination"/> (≥ 32 bytes) and returns the byte count.</summary>
    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no representation for NaN or infinity");
        }
        var position = 0;
        if (value == 0)
        {
            if (double.IsNegative(value))
            {
                destination[position++] = (byte)'-';
            }
            destination[position++] = (byte)'0';
            return position;
        }

        // .NET's "R" is the shortest round-trip representation, like Go's precision -1; only
        // its layout differs, so take its digits and decimal exponent and lay them out as Go.
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var length, "R", CultureInfo.InvariantCulture);
        text = text[..length];
        var negative = text[0] == '-';
        if (negative)
        {
            text = text[1..];
        }
        var exponentIndex = text.IndexOfAny('E', 'e');
        var exponent = 0;
        if (exponentIndex >= 0)
        {
            exponent = int.Parse(text[(exponentIndex + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..exponentIndex];
        }
        Span<char> digits = stackalloc char[32];
        var digitCount = 0;
        var pointIndex = text.IndexOf('.');
        var integerDigits = pointIndex < 0 ? text.Length : pointIndex;
        foreach (var c in text)
        {
            if (c != '.')
            {
                digits[digitCount++] = c;
            }
        }
        // value = 0.d1d2d3… × 10^decimalPoint
        var decimalPoint = integerDigits + exponent;
        var first = 0;
        while (first < digitCount - 1 && digits[first] == '0')
        {
            first++;
            decimalPoint--;
        }
        var last = digitCount;
        while (last > first + 1 && digits[last - 1] == '0')
        {
            last--;
        }
        var significant = digits[first..last];

        if (negative)
        {
            destination[position++] = (byte)'-';
        }
        var magnitude = Math.Abs(value);
        if (magnitude < 1e-6 || magnitude >= 1e21)
        {
            destination[position++] = (byte)significant[0];
            if (significant.Length > 1)
            {
                destination[position++] = (byte)'.';
                foreach (var c in significant[1..])
                {
                    destination[position++] = (byte)c;
                }
            }
            destination[position++] = (byte)'e';
            var scientific = decimalPoint - 1;
            destination[position++] = scientific < 0 ? (byte)'-' : (byte)'+';
            var absolute = Math.Abs(scientific);
            // strconv writes at least two exponent digits; encoding/json then drops the leading
            // zero of a negative one ("e-07" → "e-7") but keeps "e+21".
            if (absolute < 10 && scientific >= 0)
            {
                destination[position++] = (byte)'0';
            }
            absolute.TryFormat(destination[position..], out var exponentLength, default, CultureInfo.InvariantCulture);
            return position + exponentLength;
        }
        if (decimalPoint <= 0)
        {
            destination[position++] = (byte)'0';
            destination[position++] = (byte)'.';
            for (var i = 0; i < -decimalPoint; i++)
            {
                destination[position++] = (byte)'0';
            }
            foreach (var c in significant)
            {
                destination[position++] = (byte)c;
            }
            return position;
        }
        for (var i = 0; i < Math.Max(decimalPoint, significant.Length); i++)
        {
            if (i == decimalPoint)
            {
                destination[position++] = (byte)'.';
            }
            destination[position++] = i < significant.Length ? (byte)significant[i] : (byte)'0';
        }
        return position;
    }
}
