namespace Kollect.Operator.Sinks.Postgres;

/// <summary>One server of a connection string: a host name or IP literal (no brackets) and its port.</summary>
public sealed record PostgresHost(string Host, int Port)
{
    /// <summary>PostgreSQL's default port.</summary>
    public const int DefaultPort = 5432;

    /// <summary><c>host:port</c>, or <c>[v6]:port</c>, for messages.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
