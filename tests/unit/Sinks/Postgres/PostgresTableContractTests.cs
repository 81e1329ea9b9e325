using System.Text;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Export;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Tests.Unit.Sinks.Postgres;

/// <summary>The table contract without a server (SPEC §2.5): columns, key, row arrays, quoting and the connection test's verdicts.</summary>
public sealed class PostgresTableContractTests
{
    [Fact]
    public void The_table_has_the_contract_columns_and_primary_key()
    {
        var ddl = PostgresStatements.CreateTable("public", "kollect_items");

        Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"public\".\"kollect_items\" (", ddl, StringComparison.Ordinal);
        Assert.Equal(
            ["inventory_namespace", "inventory_name", "target_name", "source_uid", "cluster", "resource_namespace", "payload", "exported_at"],
            PostgresStatements.Columns.Select(c => c.Name));
        Assert.Contains("payload jsonb NOT NULL", ddl, StringComparison.Ordinal);
        Assert.Contains("PRIMARY KEY (inventory_namespace, inventory_name, target_name, source_uid)", ddl, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_always_quoted_so_nothing_can_be_spliced_into_the_sql()
    {
        Assert.Equal("\"we\"\"ird\".\"Items; DROP TABLE x\"", PostgresIdentifier.Qualified("we\"ird", "Items; DROP TABLE x"));
        Assert.Contains("INSERT INTO \"s\".\"t\" AS t", PostgresStatements.Export(PostgresIdentifier.Qualified("s", "t")), StringComparison.Ordinal);
    }

    [Fact]
    public void Row_arrays_carry_the_canonical_row_json_and_key_uid_less_objects_by_identity()
    {
        var withUid = Row("configs", "shop", "a", "0b9e-uid", """{"note":"\u003c\u0026"}""");
        var noUid = Row("configs", "shop", "b", "");
        var duplicate = Row("configs", "shop", "a", "0b9e-uid");
        var rows = new List<ItemRow> { withUid, noUid, duplicate };
        CanonicalRowArray.Sort(rows);

        var set = PostgresRowSet.From(rows);

        Assert.Equal(2, set.Count);
        Assert.Equal(1, set.DuplicateKeys);
        Assert.Equal(["0b9e-uid", "nouid:apps/v1/Deployment/shop/b"], set.SourceUids);
        Assert.Equal(["configs", "configs"], set.TargetNames);
        Assert.Equal(["shop", "shop"], set.ResourceNamespaces);
        Assert.Equal(Encoding.UTF8.GetString(rows[0].Json), set.Payloads[0]);
        Assert.Contains("\\u003c\\u0026", set.Payloads[0], StringComparison.Ordinal);
        Assert.Equal(rows[0].JsonLength + rows.Single(r => r.Identity.Uid == "").JsonLength, set.PayloadBytes);
    }

    [Theory]
    [InlineData(true, true, "")]
    [InlineData(false, true, "created at the first export")]
    [InlineData(false, false, "may not create tables")]
    public void The_connection_test_verdict_in_ensure_mode(bool tableExists, bool mayCreate, string expected)
    {
        var inspection = Inspection() with { TableExists = tableExists, SchemaCreate = mayCreate };

        var problem = inspection.Problem(Settings(KollectDatabaseSinkSpecProvisioningMode.Ensure), out var note);

        Assert.Contains(expected, (problem ?? "") + note, StringComparison.Ordinal);
        Assert.Equal(mayCreate || tableExists, problem is null);
    }

    [Theory]
    [InlineData("missing table in existing mode", "provisioning.mode is existing")]
    [InlineData("read-only", "the server is read-only")]
    [InlineData("no schema", "schema \"public\" does not exist")]
    [InlineData("no key", "no primary key or unique index")]
    [InlineData("wrong column", "cluster (text) is missing; exported_at is timestamp without time zone, not timestamp with time zone")]
    [InlineData("no delete", "lacks DELETE")]
    public void The_connection_test_names_what_is_wrong(string what, string expected)
    {
        var columns = PostgresStatements.Columns.Select(c => $"{c.Name} {c.Type}").ToList();
        var inspection = what switch
        {
            "missing table in existing mode" => Inspection() with { TableExists = false },
            "read-only" => Inspection() with { ReadOnly = true },
            "no schema" => Inspection() with { SchemaExists = false },
            "no key" => Inspection() with { HasKey = false },
            "wrong column" => Inspection() with
            {
                Columns = columns.Where(c => !c.StartsWith("cluster", StringComparison.Ordinal))
                    .Select(c => c.StartsWith("exported_at", StringComparison.Ordinal) ? "exported_at timestamp without time zone" : c).ToList(),
            },
            _ => Inspection() with { CanDelete = false },
        };

        var problem = inspection.Problem(Settings(KollectDatabaseSinkSpecProvisioningMode.Existing), out _);

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Varchar_text_columns_are_accepted()
    {
        var columns = PostgresStatements.Columns.Select(c => c.Type == "text" ? $"{c.Name} character varying(253)" : $"{c.Name} {c.Type}").ToList();

        Assert.Null((Inspection() with { Columns = columns }).Problem(Settings(KollectDatabaseSinkSpecProvisioningMode.Existing), out _));
    }

    private static ItemRow Row(string target, string ns, string name, string uid, string attributes = "{}") =>
        ItemRow.Create(new ItemIdentity("team-a", target, ns, name, "apps", "v1", "Deployment", uid), Encoding.UTF8.GetBytes(attributes));

    private static PostgresTableInspection Inspection() => new(
        SchemaExists: true, TableExists: true, SchemaUsage: true, SchemaCreate: true,
        CanSelect: true, CanInsert: true, CanUpdate: true, CanDelete: true, ReadOnly: false,
        CurrentUser: "kollect", ServerVersion: "15.18",
        Columns: PostgresStatements.Columns.Select(c => $"{c.Name} {c.Type}").ToList(), HasKey: true);

    private static PostgresSinkSettings Settings(KollectDatabaseSinkSpecProvisioningMode mode)
    {
        Assert.True(PostgresConnectionString.TryParse("host=db user=kollect", out var connection, out _));
        return new PostgresSinkSettings
        {
            Connection = connection,
            Schema = "public",
            Table = "items",
            Provisioning = mode,
            EndpointPolicy = EndpointPolicy.PublicOnly,
        };
    }
}
