using System.Globalization;

namespace Kollect.Operator.Export;

/// <summary>
/// Envelope timestamps (SPEC §4, §5): UTC RFC 3339 with the fractional seconds trimmed of
/// trailing zeros and no fraction at all when it is zero, ending in <c>Z</c> — the layout of Go's
/// <c>time.RFC3339Nano</c> for a UTC time (.NET keeps 100 ns, so at most 7 fraction digits).
/// </summary>
public static class RfcTimestamp
{
    public static string Format(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = utc.Ticks % TimeSpan.TicksPerSecond;
        if (fraction == 0)
        {
            return text + "Z";
        }
        return text + "." + fraction.ToString("D7", CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
    }
}
