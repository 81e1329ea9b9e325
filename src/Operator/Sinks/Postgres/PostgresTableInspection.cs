using Kollect.Api.V1Alpha1;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// What the connection test (SPEC §2.5, §6.3) learned about the table and the role, one value per
/// column of <see cref="PostgresStatements.Inspect"/>, and the verdict: the table exists with the
/// contract's columns and key (or may be created in <c>ensure</c> mode), and the role may write it.
/// </summary>
public sealed record PostgresTableInspection(
    bool SchemaExists,
    bool TableExists,
    bool SchemaUsage,
    bool SchemaCreate,
    bool CanSelect,
    bool CanInsert,
    bool CanUpdate,
    bool CanDelete,
    bool ReadOnly,
    string CurrentUser,
    string ServerVersion,
    IReadOnlyList<string> Columns,
    bool HasKey)
{
    /// <summary>Why the sink cannot be written, or null; <paramref name="note"/> says what will happen when it can.</summary>
    public string? Problem(PostgresSinkSettings settings, out string note)
    {
        ArgumentNullException.ThrowIfNull(settings);
        note = "";
        var table = settings.QualifiedTable;
        if (ReadOnly)
        {
            return "the server is read-only (transaction_read_only is on: a standby?); point the connection string at the primary";
        }

        if (!SchemaExists)
        {
            return $"schema {PostgresIdentifier.Quote(settings.Schema)} does not exist; create it or set {DatabaseSinkFields.SpecPostgresSchema}";
        }

        if (!SchemaUsage)
        {
            return $"role {CurrentUser} has no USAGE privilege on schema {PostgresIdentifier.Quote(settings.Schema)}; GRANT USAGE ON SCHEMA to it";
        }

        if (!TableExists)
        {
            if (settings.Provisioning == KollectDatabaseSinkSpecProvisioningMode.Existing)
            {
                return $"table {table} does not exist, and {DatabaseSinkFields.ProvisioningMode} is existing, so the operator never creates it; create it ({DatabaseSinkFields.StatusCreateTableStatement} shows how) or set {DatabaseSinkFields.ProvisioningMode}: ensure";
            }

            if (!SchemaCreate)
            {
                return $"table {table} does not exist and role {CurrentUser} may not create tables in schema {PostgresIdentifier.Quote(settings.Schema)}; create the table or GRANT CREATE ON SCHEMA to the role";
            }

            note = $"table {table} does not exist yet; it is created at the first export";
            return null;
        }

        var columns = Columns.Select(c => c.Split(' ', 2)).ToDictionary(c => c[0], c => c.Length > 1 ? c[1] : "", StringComparer.Ordinal);
        var wrong = PostgresStatements.Columns
            .Where(expected => !columns.TryGetValue(expected.Name, out var found) || !Compatible(expected.Type, found))
            .Select(expected => columns.TryGetValue(expected.Name, out var found) ? $"{expected.Name} is {found}, not {expected.Type}" : $"{expected.Name} ({expected.Type}) is missing")
            .ToList();
        if (wrong.Count > 0)
        {
            return $"table {table} does not have the table contract's columns: {string.Join("; ", wrong)}";
        }

        if (!HasKey)
        {
            return $"table {table} has no primary key or unique index on ({string.Join(", ", PostgresStatements.KeyColumns)}), which the upsert needs";
        }

        var missing = new[] { ("SELECT", CanSelect), ("INSERT", CanInsert), ("UPDATE", CanUpdate), ("DELETE", CanDelete) }
            .Where(p => !p.Item2).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
        {
            return $"role {CurrentUser} lacks {string.Join(", ", missing)} on table {table}; GRANT SELECT, INSERT, UPDATE, DELETE ON {table} to it";
        }

        note = $"table {table} exists with the expected columns and key, and role {CurrentUser} may write it";
        return null;
    }

    // Text columns may be varchar; everything else must be the contract's type.
    private static bool Compatible(string expected, string found) =>
        found == expected || (expected == "text" && found.StartsWith("character varying", StringComparison.Ordinal));
}
