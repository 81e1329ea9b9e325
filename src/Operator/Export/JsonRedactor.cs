using System.Text.Json;

namespace Kollect.Operator.Export;

/// <summary>
/// Decides, while <see cref="GoJsonWriter"/> writes a map entry, whether its value must be
/// replaced by <see cref="Replacement"/> (the scrubbing rule of SPEC §3 lives in
/// <see cref="SensitiveKeyScrubber"/>; the writer only applies it).
/// </summary>
public abstract class JsonRedactor
{
    /// <summary>True when the entry <paramref name="key"/> → <paramref name="value"/> must not be written as is.</summary>
    public abstract bool ShouldRedact(string key, JsonElement value);

    /// <summary>True when an entry whose value is not JSON from the input (a computed scalar or list) must be replaced; only the key can decide.</summary>
    public abstract bool ShouldRedactKey(string key);

    /// <summary>Canonical JSON written instead of a redacted value.</summary>
    public abstract ReadOnlySpan<byte> Replacement { get; }
}
