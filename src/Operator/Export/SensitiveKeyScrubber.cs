using System.Text.Json;

namespace Kollect.Operator.Export;

/// <summary>
/// The scrubbing rule of SPEC §3, applied while extracted values are written, at any depth. A
/// map entry's value becomes <c>{"reason":"sensitive-key","redacted":true}</c> when
/// <list type="number">
/// <item>its key equals a denylist entry, ignoring case;</item>
/// <item>its key ends with a denylist entry that is longer than 2 characters, ignoring case
/// (<c>dbPassword</c>, <c>GITHUB_TOKEN</c>, <c>oauth</c>). "Entries longer than 2 chars" refers to
/// denylist entries: the built-in ones all are, so for them key suffixes always count; an extra
/// entry of 1–2 characters (such as <c>id</c> or <c>pk</c>) matches only whole keys, so it does not
/// redact <c>uid</c> or <c>apk</c>. (Read as a condition on the key instead, the clause would change
/// nothing: a key ending with a built-in entry is at least 4 characters long.)</item>
/// <item>its key is <c>secretKeyRef</c> or <c>secretRef</c> and its value is a map;</item>
/// <item>its key is <c>valueFrom</c> and its value is a map holding <c>secretKeyRef</c>;</item>
/// <item>its key is <c>tls</c> and its value is a map holding <c>key</c>.</item>
/// </list>
/// Key comparisons ignore case (ordinal). The attribute names of a row are map keys too, so an
/// attribute named <c>dbPassword</c> is redacted whatever its path returns.
/// </summary>
public sealed class SensitiveKeyScrubber : JsonRedactor
{
    /// <summary>The built-in denylist of SPEC §3.</summary>
    public static readonly IReadOnlyList<string> DefaultDenylist =
    [
        "password", "passwd", "secret", "token", "apikey", "api_key", "privatekey", "private_key",
        "credential", "auth", "clientsecret", "connectionstring",
    ];

    public static readonly SensitiveKeyScrubber Default = new([]);

    // A map like any other, so written with sorted keys as Go writes every map (SPEC §3, §4; issue #12).
    private static readonly byte[] Marker = """{"reason":"sensitive-key","redacted":true}"""u8.ToArray();

    private readonly string[] entries;

    /// <param name="extraEntries">More denylist entries (for example a profile's <c>export.prune.scrubKeys</c>), merged with the built-in list.</param>
    public SensitiveKeyScrubber(IEnumerable<string> extraEntries)
    {
        ArgumentNullException.ThrowIfNull(extraEntries);
        entries = DefaultDenylist.Concat(extraEntries.Where(entry => entry.Length > 0))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }

    public override ReadOnlySpan<byte> Replacement => Marker;

    /// <summary>Rules 1 and 2: the key alone is sensitive.</summary>
    public override bool ShouldRedactKey(string key)
    {
        foreach (var entry in entries)
        {
            if (key.Equals(entry, StringComparison.OrdinalIgnoreCase)
                || (entry.Length > 2 && key.EndsWith(entry, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>All five rules.</summary>
    public override bool ShouldRedact(string key, JsonElement value)
    {
        if (ShouldRedactKey(key))
        {
            return true;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        if (key.Equals("secretKeyRef", StringComparison.OrdinalIgnoreCase) || key.Equals("secretRef", StringComparison.OrdinalIgnoreCase)) // not a Kollect field: a key of collected objects
        {
            return true;
        }
        if (key.Equals("valueFrom", StringComparison.OrdinalIgnoreCase))
        {
            return HasKey(value, "secretKeyRef");
        }
        if (key.Equals("tls", StringComparison.OrdinalIgnoreCase)) // not a Kollect field: a key of collected objects
        {
            return HasKey(value, "key");
        }
        return false;
    }

    private static bool HasKey(JsonElement map, string key)
    {
        foreach (var property in map.EnumerateObject())
        {
            if (JsonStringDecoder.GetName(property).Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
