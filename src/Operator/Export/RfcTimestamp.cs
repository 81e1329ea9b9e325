namespace Kollect.Operator.Export;

/// <summary>
/// Envelope timestamps (SPEC §4, §5): UTC RFC 3339 with the fractional seconds trimmed of
/// trailing zeros and no fraction at all when it is zero, ending in <c>Z</c> — the layout of Go's
/// <c>time.RFC3339Nano</c> for a UTC time (.NET keeps 100 ns, so at most 7 fraction digits).
/// </summary>
public static class RfcTimestamp
{
    public static string Format(DateTimeOffset time) => Kollect.Api.RfcTimeJsonConverter.Format(time);
}
