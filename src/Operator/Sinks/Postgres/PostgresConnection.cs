using Npgsql;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>An open connection, the server it reached (as the connection string names it) and its certificate check.</summary>
public sealed record PostgresConnection(NpgsqlConnection Connection, PostgresHost Server, PostgresCertificateCheck CertificateCheck) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
