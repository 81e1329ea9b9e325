namespace Kollect.Operator.Sinks.Postgres;

/// <summary>No server of a connection string could be connected to: the failure of the last one tried, and which it was.</summary>
public sealed class PostgresConnectException(Exception failure, PostgresHost server, PostgresCertificateCheck? certificateCheck)
    : Exception($"cannot connect to {server}", failure)
{
    public PostgresHost Server { get; } = server;

    public PostgresCertificateCheck? CertificateCheck { get; } = certificateCheck;
}
