using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Kollect.Api;

/// <summary>
/// A Go <c>time.Duration</c> as the Kollect API writes it in strings such as <c>30s</c>,
/// <c>1h30m</c> or <c>300ms</c> (SPEC §2, e.g. <c>exportMinInterval</c>). Parsing follows Go's
/// <c>time.ParseDuration</c> and <see cref="ToString"/> follows <c>time.Duration.String()</c>, so a
/// value written by the original operator reads and prints the same here.
/// </summary>
[JsonConverter(typeof(DurationJsonConverter))]
public readonly struct Duration : IEquatable<Duration>, IComparable<Duration>
{
    private const long Nanosecond = 1;
    private const long Microsecond = 1000 * Nanosecond;
    private const long Millisecond = 1000 * Microsecond;
    private const long Second = 1000 * Millisecond;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;

    /// <summary>Creates a duration of this many nanoseconds.</summary>
    public Duration(long nanoseconds) => Nanoseconds = nanoseconds;

    private Duration(long nanoseconds, string written)
    {
        Nanoseconds = nanoseconds;
        _written = written;
    }

    // The text a parsed duration came from, so that an error quotes what the user wrote ("25h"),
    // not the canonical form ("25h0m0s"). Not part of equality.
    private readonly string? _written;

    /// <summary>The text this duration was parsed from, or <see cref="ToString"/> when it was not parsed.</summary>
    public string Written => _written ?? ToString();

    /// <summary>The zero duration, written <c>0s</c>.</summary>
    public static Duration Zero => default;

    /// <summary>Length in nanoseconds, Go's native unit.</summary>
    public long Nanoseconds { get; }

    /// <summary>The duration as a <see cref="TimeSpan"/> (rounded towards zero to 100 ns ticks).</summary>
    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks(Nanoseconds / 100);

    /// <summary>Converts a <see cref="TimeSpan"/> (100 ns ticks, always representable).</summary>
    public static Duration FromTimeSpan(TimeSpan value) => new(checked(value.Ticks * 100));

    /// <summary>Parses a Go duration string; throws <see cref="FormatException"/> with the reason when it is not one.</summary>
    public static Duration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var result, out var error))
        {
            throw new FormatException(error);
        }

        return result;
    }

    /// <summary>Parses a Go duration string.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Duration result)
    {
        if (!TryParse(text, out result, out _))
        {
            return false;
        }

        result = new Duration(result.Nanoseconds, text!);
        return true;
    }

    private static bool TryParse(string? text, out Duration result, out string error)
    {
        result = default;
        if (text is null)
        {
            error = "time: invalid duration \"\"";
            return false;
        }

        error = "time: invalid duration \"" + text + "\"";
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.SequenceEqual("0"))
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        // Accumulated as an unsigned magnitude so that -9223372036854775808ns parses, as in Go.
        ulong total = 0;
        const ulong Limit = 1UL << 63;
        while (!s.IsEmpty)
        {
            if (!(s[0] == '.' || char.IsAsciiDigit(s[0])))
            {
                return false;
            }

            var start = s.Length;
            if (!TryLeadingInt(ref s, out var whole))
            {
                error = "time: invalid duration \"" + text + "\" (overflow)";
                return false;
            }

            var hasWhole = start != s.Length;
            ulong fraction = 0;
            double scale = 1;
            var hasFraction = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var before = s.Length;
                var overflowed = false;
                while (!s.IsEmpty && char.IsAsciiDigit(s[0]))
                {
                    if (!overflowed)
                    {
                        if (fraction > (long.MaxValue - 9) / 10)
                        {
                            overflowed = true;
                        }
                        else
                        {
                            fraction = (fraction * 10) + (ulong)(s[0] - '0');
                            scale *= 10;
                        }
                    }

                    s = s[1..];
                }

                hasFraction = before != s.Length;
            }

            if (!hasWhole && !hasFraction)
            {
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                error = "time: missing unit in duration \"" + text + "\"";
                return false;
            }

            var unitText = s[..unitLength];
            s = s[unitLength..];
            if (!TryUnit(unitText, out var unit))
            {
                error = "time: unknown unit \"" + unitText.ToString() + "\" in duration \"" + text + "\"";
                return false;
            }

            if (whole > Limit / unit)
            {
                error = "time: invalid duration \"" + text + "\" (overflow)";
                return false;
            }

            var value = whole * unit;
            if (fraction > 0)
            {
                value += (ulong)(fraction * (unit / scale));
                if (value > Limit)
                {
                    error = "time: invalid duration \"" + text + "\" (overflow)";
                    return false;
                }
            }

            total += value;
            if (total > Limit)
            {
                error = "time: invalid duration \"" + text + "\" (overflow)";
                return false;
            }
        }

        if (negative)
        {
            result = new Duration(unchecked(-(long)total));
            return true;
        }

        if (total > long.MaxValue)
        {
            error = "time: invalid duration \"" + text + "\" (overflow)";
            return false;
        }

        result = new Duration((long)total);
        return true;
    }

    private static bool TryLeadingInt(ref ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        while (!s.IsEmpty && char.IsAsciiDigit(s[0]))
        {
            if (value > (1UL << 63) / 10)
            {
                return false;
            }

            value = (value * 10) + (ulong)(s[0] - '0');
            if (value > 1UL << 63)
            {
                return false;
            }

            s = s[1..];
        }

        return true;
    }

    private static bool TryUnit(ReadOnlySpan<char> unit, out ulong nanoseconds)
    {
        nanoseconds = unit switch
        {
            "ns" => Nanosecond,
            "us" or "\u00b5s" or "\u03bcs" => Microsecond,
            "ms" => Millisecond,
            "s" => Second,
            "m" => Minute,
            "h" => Hour,
            _ => 0,
        };
        return nanoseconds != 0;
    }

    /// <summary>Formats like Go's <c>time.Duration.String()</c>: <c>1h30m0s</c>, <c>1.5s</c>, <c>300ms</c>, <c>0s</c>.</summary>
    public override string ToString()
    {
        var negative = Nanoseconds < 0;
        var magnitude = negative ? unchecked((ulong)-Nanoseconds) : (ulong)Nanoseconds;
        var builder = new StringBuilder();
        if (magnitude < Second)
        {
            if (magnitude == 0)
            {
                return "0s";
            }

            var (precision, unit) = magnitude switch
            {
                < (ulong)Microsecond => (0, "ns"),
                < (ulong)Millisecond => (3, "\u00b5s"),
                _ => (6, "ms"),
            };
            AppendWithFraction(builder, magnitude, precision);
            builder.Append(unit);
        }
        else
        {
            var seconds = magnitude / Second;
            var minutes = seconds / 60;
            var hours = minutes / 60;
            if (hours > 0)
            {
                builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
            }

            if (minutes > 0)
            {
                builder.Append((minutes % 60).ToString(CultureInfo.InvariantCulture)).Append('m');
            }

            AppendWithFraction(builder, ((seconds % 60) * Second) + (magnitude % Second), 9);
            builder.Append('s');
        }

        return negative ? "-" + builder : builder.ToString();
    }

    private static void AppendWithFraction(StringBuilder builder, ulong value, int precision)
    {
        ulong divisor = 1;
        for (var i = 0; i < precision; i++)
        {
            divisor *= 10;
        }

        builder.Append((value / divisor).ToString(CultureInfo.InvariantCulture));
        var fraction = value % divisor;
        if (fraction != 0)
        {
            var digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(precision, '0').TrimEnd('0');
            builder.Append('.').Append(digits);
        }
    }

    /// <inheritdoc />
    public bool Equals(Duration other) => Nanoseconds == other.Nanoseconds;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Duration other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Nanoseconds.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(Duration other) => Nanoseconds.CompareTo(other.Nanoseconds);

    /// <summary>Equality.</summary>
    public static bool operator ==(Duration left, Duration right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Duration left, Duration right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(Duration left, Duration right) => left.Nanoseconds < right.Nanoseconds;

    /// <summary>Ordering.</summary>
    public static bool operator >(Duration left, Duration right) => left.Nanoseconds > right.Nanoseconds;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Duration left, Duration right) => left.Nanoseconds <= right.Nanoseconds;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Duration left, Duration right) => left.Nanoseconds >= right.Nanoseconds;
}
