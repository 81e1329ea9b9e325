using System.Text.RegularExpressions;
using Kollect.Operator.Export;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// An entry of a database sink's <c>spec.options</c> (SPEC §2.5): a PostgreSQL setting applied to
/// each export transaction with <c>set_config(key, value, true)</c>, so it lasts for that
/// transaction only and its value is a bound parameter, never SQL text. Keys that look like
/// credentials are refused: options are shown in manifests and status, credentials belong in the
/// connection string's Secret.
/// </summary>
public static partial class PostgresSessionOption
{
    /// <summary>Why <paramref name="key"/> cannot be an option, or null when it can.</summary>
    public static string? KeyProblem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (SensitiveKeyScrubber.Default.ShouldRedactKey(key))
        {
            return $"looks like a credential; options are not secret (they show in the manifest): put credentials in the connection string of the {DatabaseSinkFields.SpecPostgresDatabaseRef} Secret";
        }

        return SettingName().IsMatch(key)
            ? null
            : "is not a PostgreSQL setting name (letters, digits, '_' and '$', optionally one '.' for an extension's setting, such as statement_timeout or pg_stat_statements.track)";
    }

    /// <summary>Why <paramref name="value"/> cannot be sent, or null.</summary>
    public static string? ValueProblem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Contains('\0', StringComparison.Ordinal) ? "must not contain a NUL character" : null;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SettingName();
}
