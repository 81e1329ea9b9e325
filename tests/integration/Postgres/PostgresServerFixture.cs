using Kollect.Tests.Integration.Nats;

namespace Kollect.Tests.Integration.Postgres;

/// <summary>
/// One PostgreSQL server for the tests of the <see cref="PostgresCollection"/>: TLS on (a certificate
/// naming only <c>localhost</c>, from an openssl-made CA) but not required, a database owned by a
/// login role. Each test writes its own table, so tests do not see each other's rows.
/// </summary>
public sealed class PostgresServerFixture : IDisposable
{
    public const string Database = "inventory";
    public const string Owner = "kollect";

    public PostgresServerFixture()
    {
        Certificates = new TestCertificates();
        Server = PostgresServerProcess.Start((Certificates.Path_("server-dns.crt"), Certificates.Path_("server-dns.key")));
        Server.CreateDatabase(Database, Owner, OwnerPassword);
    }

    /// <summary>The owner's password; it doubles as a canary that must never show in a message.</summary>
    public string OwnerPassword { get; } = "canary-" + Guid.NewGuid().ToString("N");

    public TestCertificates Certificates { get; }

    public PostgresServerProcess Server { get; }

    public string Dsn(string extra = "sslmode=disable") => Server.Dsn(Owner, OwnerPassword, Database, extra);

    /// <summary>SQL through psql in the test database.</summary>
    public string Psql(string sql) => Server.Psql(sql, Database);

    public void Dispose()
    {
        Server.Dispose();
        Certificates.Dispose();
    }
}
