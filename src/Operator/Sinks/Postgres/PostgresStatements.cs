namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// The SQL a database sink sends (SPEC §2.5), as text with positional parameters; table names are
/// quoted identifiers and every value is a bound parameter. Pure, so the table contract is tested
/// without a server.
/// </summary>
public static class PostgresStatements
{
    /// <summary>The contract's columns with the types <see cref="CreateTable"/> gives them, in table order.</summary>
    public static readonly IReadOnlyList<(string Name, string Type)> Columns =
    [
        ("inventory_namespace", "text"),
        ("inventory_name", "text"),
        ("target_name", "text"),
        ("source_uid", "text"),
        ("cluster", "text"), // not a Kollect field: a column of the table contract
        ("resource_namespace", "text"),
        ("payload", "jsonb"),
        ("exported_at", "timestamp with time zone"),
    ];

    /// <summary>The primary key columns.</summary>
    public static readonly IReadOnlyList<string> KeyColumns = ["inventory_namespace", "inventory_name", "target_name", "source_uid"];

    /// <summary>The DDL of <c>provisioning.mode: ensure</c>; shown in <c>status.preview</c> for tables created by hand.</summary>
    public static string CreateTable(string schema, string table) =>
        $"""
        CREATE TABLE IF NOT EXISTS {PostgresIdentifier.Qualified(schema, table)} (
          inventory_namespace text NOT NULL,
          inventory_name text NOT NULL,
          target_name text NOT NULL,
          source_uid text NOT NULL,
          cluster text NOT NULL,
          resource_namespace text NOT NULL,
          payload jsonb NOT NULL,
          exported_at timestamptz NOT NULL,
          PRIMARY KEY (inventory_namespace, inventory_name, target_name, source_uid)
        )
        """;

    /// <summary>
    /// Applies <c>spec.options</c> for the current transaction only: $1 keys, $2 values (text arrays).
    /// </summary>
    public const string ApplyOptions = "SELECT count(set_config(o.key, o.value, true)) FROM unnest($1::text[], $2::text[]) AS o(key, value)";

    /// <summary>
    /// One export in one statement: upsert the current rows and delete this inventory's and
    /// cluster's rows that are gone. $1 inventory_namespace, $2 inventory_name, $3 cluster,
    /// $4 exported_at, then the arrays of <see cref="PostgresRowSet"/>: $5 target_name, $6 source_uid,
    /// $7 resource_namespace, $8 payload. Returns (upserted, deleted). Both data-modifying parts see
    /// the same snapshot and touch disjoint keys, so neither can undo the other.
    /// </summary>
    public static string Export(string qualifiedTable) =>
        $"""
        WITH incoming AS (
          SELECT * FROM unnest($5::text[], $6::text[], $7::text[], $8::text[]) AS r(target_name, source_uid, resource_namespace, payload)
        ), upserted AS (
          INSERT INTO {qualifiedTable} AS t (inventory_namespace, inventory_name, target_name, source_uid, cluster, resource_namespace, payload, exported_at)
          SELECT $1, $2, i.target_name, i.source_uid, $3, i.resource_namespace, i.payload::jsonb, $4 FROM incoming i
          ON CONFLICT (inventory_namespace, inventory_name, target_name, source_uid) DO UPDATE
          SET cluster = EXCLUDED.cluster, resource_namespace = EXCLUDED.resource_namespace, payload = EXCLUDED.payload, exported_at = EXCLUDED.exported_at
          RETURNING 1
        ), removed AS (
          DELETE FROM {qualifiedTable} AS t
          WHERE t.inventory_namespace = $1 AND t.inventory_name = $2 AND t.cluster = $3
            AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.target_name = t.target_name AND i.source_uid = t.source_uid)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM upserted), (SELECT count(*) FROM removed)
        """;

    /// <summary>
    /// What the connection test needs to know about the table ($1 schema, $2 table) and the role, in
    /// one round trip and without side effects; see <see cref="PostgresTableInspection"/> for the columns.
    /// </summary>
    public const string Inspect =
        """
        SELECT
          n.oid IS NOT NULL,
          c.oid IS NOT NULL,
          n.oid IS NOT NULL AND has_schema_privilege(n.oid, 'USAGE'),
          n.oid IS NOT NULL AND has_schema_privilege(n.oid, 'CREATE'),
          c.oid IS NOT NULL AND has_table_privilege(c.oid, 'SELECT'),
          c.oid IS NOT NULL AND has_table_privilege(c.oid, 'INSERT'),
          c.oid IS NOT NULL AND has_table_privilege(c.oid, 'UPDATE'),
          c.oid IS NOT NULL AND has_table_privilege(c.oid, 'DELETE'),
          current_setting('transaction_read_only') = 'on',
          current_user::text,
          current_setting('server_version'),
          COALESCE((SELECT array_agg(a.attname::text || ' ' || format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum)
                    FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '{}'::text[]),
          c.oid IS NOT NULL AND EXISTS (
            SELECT 1 FROM pg_index i
            WHERE i.indrelid = c.oid AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
              AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text COLLATE "C")
                   FROM unnest(i.indkey::int2[]) AS k(attnum) JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum)
                  = ARRAY['inventory_name', 'inventory_namespace', 'source_uid', 'target_name'])
        FROM (SELECT 1) AS one
        LEFT JOIN pg_namespace n ON n.nspname = $1
        LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = $2 AND c.relkind IN ('r', 'p')
        """;
}
