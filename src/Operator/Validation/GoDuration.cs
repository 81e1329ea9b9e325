using System.Globalization;

namespace Kollect.Operator.Validation;

/// <summary>
/// Go's <c>time.ParseDuration</c> syntax, used by Kubernetes-style duration fields such as
/// <c>exportMinInterval</c>: an optional sign, then one or more decimal numbers each with a unit
/// (<c>ns</c>, <c>us</c>/<c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>), e.g. <c>30s</c>, <c>1h30m</c>,
/// <c>1.5h</c>; <c>0</c> alone is allowed.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, decimal Nanoseconds)[] Units =
    [
        ("ns", 1m), ("us", 1_000m), ("\u00b5s", 1_000m), ("\u03bcs", 1_000m), ("ms", 1_000_000m),
        ("s", 1_000_000_000m), ("m", 60_000_000_000m), ("h", 3_600_000_000_000m),
    ];

    /// <summary>Parses a duration; returns false on a syntax error or an out-of-range value.</summary>
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal total = 0;
        while (!s.IsEmpty)
        {
            var numberLength = 0;
            var digits = 0;
            var seenPoint = false;
            while (numberLength < s.Length && (char.IsAsciiDigit(s[numberLength]) || (s[numberLength] == '.' && !seenPoint)))
            {
                if (s[numberLength] == '.')
                {
                    seenPoint = true;
                }
                else
                {
                    digits++;
                }

                numberLength++;
            }

            if (digits == 0 || numberLength > 40)
            {
                return false;
            }

            var number = decimal.Parse(s[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            s = s[numberLength..];
            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            var unit = s[..unitLength].ToString();
            s = s[unitLength..];
            var scale = Array.Find(Units, u => u.Unit == unit).Nanoseconds;
            if (scale == 0)
            {
                return false;
            }

            total += number * scale;
            if (total > long.MaxValue)
            {
                return false;
            }
        }

        var ticks = (long)(total / 100m);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }
}
