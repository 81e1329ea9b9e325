using System.Text;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Export;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Tests.Integration.Postgres;

/// <summary>
/// Database sinks and rows for the tests, made the way the operator makes them: a
/// <c>KollectDatabaseSink</c> and its Secret resolved by <see cref="DatabaseSinkResolver"/>, rows by
/// <see cref="ItemRow.Create"/>.
/// </summary>
internal static class TestDatabaseSinks
{
    public const string SinkNamespace = "team-a";

    public static string UniqueTable() => "items_" + Guid.NewGuid().ToString("N")[..10];

    public static DatabaseSinkResolution Resolve(
        string dsn,
        string table,
        KollectDatabaseSinkSpecProvisioningMode mode = KollectDatabaseSinkSpecProvisioningMode.Ensure,
        Dictionary<string, string>? options = null,
        string? caPem = null,
        EndpointPolicy? policy = null,
        string? schema = null)
    {
        var sink = new KollectDatabaseSink
        {
            Metadata = new ObjectMeta { Name = "inventory-db", Namespace = SinkNamespace },
            Spec = new KollectDatabaseSinkSpec
            {
                Type = KollectDatabaseSinkSpecType.Postgres,
                Postgres = new KollectDatabaseSinkSpecPostgres
                {
                    DatabaseRef = new KollectDatabaseSinkSpecPostgresDatabaseRef { Name = "inventory-db-dsn" },
                    Table = table,
                    Schema = schema,
                },
                Provisioning = new KollectDatabaseSinkSpecProvisioning { Mode = mode },
                Options = options,
                Tls = caPem is null ? null : new KollectDatabaseSinkSpecTls { CaBundle = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem)) },
            },
        };
        IReadOnlyDictionary<string, byte[]>? Secrets(string ns, string name) =>
            ns == SinkNamespace && name == "inventory-db-dsn" ? new Dictionary<string, byte[]> { ["dsn"] = Encoding.UTF8.GetBytes(dsn) } : null;
        var resolution = new DatabaseSinkResolver(Secrets, new EventSinkResolverOptions { EndpointPolicy = policy ?? new EndpointPolicy(AllowLoopback: true) }).Resolve(sink);
        Assert.True(resolution.Succeeded, resolution.Failure?.Message);
        return resolution;
    }

    public static ItemRow Row(string target, string ns, string name, string uid, string attributes = """{"app":"shop"}""") =>
        ItemRow.Create(new ItemIdentity("team-a", target, ns, name, "", "v1", "ConfigMap", uid), Encoding.UTF8.GetBytes(attributes));

    /// <summary>Rows sorted into canonical order, as the exporter hands them over.</summary>
    public static List<ItemRow> Sorted(params ItemRow[] rows)
    {
        var list = rows.ToList();
        CanonicalRowArray.Sort(list);
        return list;
    }

    public static DatabaseExport Export(IReadOnlyList<ItemRow> rows, string inventory = "shop", string cluster = "prod-eu", string ns = "team-a") =>
        new(ns, inventory, cluster, DateTimeOffset.UtcNow, rows);
}
