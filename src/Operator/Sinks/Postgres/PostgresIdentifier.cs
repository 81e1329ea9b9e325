using System.Text;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// Schema and table names of a database sink (SPEC §2.5). Names are used exactly as written, always
/// double-quoted, so <c>Inventory</c> and <c>inventory</c> are different tables, as in PostgreSQL
/// itself; a name is never spliced into SQL unquoted.
/// </summary>
public static class PostgresIdentifier
{
    /// <summary>PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes.</summary>
    public const int MaxBytes = 63;

    /// <summary>The schema used when <c>spec.postgres.schema</c> is empty.</summary>
    public const string DefaultSchema = "public";

    /// <summary>Why <paramref name="name"/> cannot be a schema or table name, or null when it can.</summary>
    public static string? Problem(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            return $"must not be empty; name the {what}";
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxBytes)
        {
            return $"must be at most {MaxBytes} bytes (PostgreSQL would silently truncate a longer {what} name)";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return "must not contain a NUL character";
        }

        if (what == KollectDatabaseSinkSpecPostgres.JsonNames.Table && name.Contains('.', StringComparison.Ordinal))
        {
            return $"contains '.': write the schema in {DatabaseSinkFields.SpecPostgresSchema} and the table name alone here";
        }

        return null;
    }

    /// <summary>The name as a quoted identifier: <c>"name"</c>, with embedded quotes doubled.</summary>
    public static string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary><c>"schema"."table"</c>.</summary>
    public static string Qualified(string schema, string table) => Quote(schema) + "." + Quote(table);
}
