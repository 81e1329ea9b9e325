using System.Net.Sockets;
using System.Security.Authentication;
using Kollect.Operator.Sinks.Common;
using Npgsql;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// A failed database operation, classified (SPEC §2.5, §6.3): <see cref="Reason"/> is the condition
/// reason and <c>kollect_sink_errors_total{reason}</c> label, <see cref="Transient"/> whether the same
/// export may succeed later, and <see cref="Message"/> what happened and what to do. The password of
/// the connection string is removed from every message, whatever produced it (SPEC §6.5).
/// </summary>
public sealed record PostgresFailure(string Reason, bool Transient, string Message)
{
    public const string AuthenticationFailed = "AuthenticationFailed";
    public const string DatabaseNotFound = "DatabaseNotFound";
    public const string TableNotFound = "TableNotFound";
    public const string PermissionDenied = "PermissionDenied";
    public const string TableSchemaMismatch = "TableSchemaMismatch";
    public const string InvalidOption = "InvalidOption";
    public const string InvalidPayload = "InvalidPayload";
    public const string ReadOnly = "ReadOnly";
    public const string Timeout = "Timeout";
    public const string Unreachable = "SinkUnreachable";
    public const string TlsFailed = "TLSHandshakeFailed";
    public const string EndpointDenied = "EndpointDenied";
    public const string DatabaseError = "DatabaseError";

    /// <summary>
    /// Classifies <paramref name="error"/>. <paramref name="where"/> names the server (<c>PostgreSQL
    /// host:port/db as user</c>); <paramref name="settingOptions"/> is true while <c>spec.options</c>
    /// are being applied, so a server refusing a setting points at the option.
    /// </summary>
    public static PostgresFailure Classify(Exception error, string where, PostgresSinkSettings settings, PostgresCertificateCheck? certificates, bool settingOptions = false)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(settings);
        var failure = error switch
        {
            EndpointDeniedException denied => new PostgresFailure(EndpointDenied, false, denied.Message),
            PostgresException server => FromServer(server, settings, settingOptions),
            NpgsqlException { InnerException: AuthenticationException tls } => new PostgresFailure(TlsFailed, false,
                $"the TLS handshake failed: {certificates?.LastFailure ?? tls.Message}"),
            NpgsqlException { InnerException: TimeoutException } or TimeoutException => new PostgresFailure(Timeout, true,
                $"no answer within the timeout (connect {settings.ConnectTimeout.TotalSeconds:0}s, statement {settings.CommandTimeout.TotalSeconds:0}s); retrying"),
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } => new PostgresFailure(Unreachable, true,
                "the host name does not resolve; check host in the connection string"),
            NpgsqlException { IsTransient: true } or SocketException or IOException => new PostgresFailure(Unreachable, true,
                $"cannot reach the server ({Innermost(error).Message}); retrying"),
            NpgsqlException npgsql => new PostgresFailure(DatabaseError, true, npgsql.Message),
            _ => new PostgresFailure(DatabaseError, true, $"{error.GetType().Name}: {error.Message}"),
        };
        return failure with { Message = Scrub($"{where}: {failure.Message}", settings.Connection.Password) };
    }

    private static PostgresFailure FromServer(PostgresException e, PostgresSinkSettings settings, bool settingOptions)
    {
        var text = $"{e.MessageText} (SQLSTATE {e.SqlState})";
        var table = settings.QualifiedTable;
        if (settingOptions)
        {
            return new PostgresFailure(InvalidOption, false, $"the server refused a setting of {DatabaseSinkFields.SpecOptions}: {text}; fix or remove that option");
        }

        return e.SqlState switch
        {
            "28P01" or "28000" => new(AuthenticationFailed, false, $"authentication failed: {text}; check user and password in the connection string Secret"),
            "3D000" => new(DatabaseNotFound, false, $"{text}; check dbname in the connection string"),
            "3F000" => new(TableNotFound, false, $"{text}; create the schema or fix {DatabaseSinkFields.SpecPostgresSchema}"),
            "42P01" => new(TableNotFound, settings.Provisioning == Api.V1Alpha1.KollectDatabaseSinkSpecProvisioningMode.Ensure,
                $"table {table} does not exist ({e.MessageText})" + (settings.Provisioning == Api.V1Alpha1.KollectDatabaseSinkSpecProvisioningMode.Ensure
                    ? "; it is created again at the next export"
                    : $"; {DatabaseSinkFields.ProvisioningMode} is existing, so create it ({DatabaseSinkFields.StatusCreateTableStatement}) or set {DatabaseSinkFields.ProvisioningMode}: ensure")),
            "42501" => new(PermissionDenied, false, $"{text}; GRANT the role SELECT, INSERT, UPDATE, DELETE on {table} (and CREATE on its schema for {DatabaseSinkFields.ProvisioningMode} ensure)"),
            "42703" or "42804" or "42P10" or "23502" or "42809" => new(TableSchemaMismatch, false,
                $"table {table} does not match the table contract: {text}; see {DatabaseSinkFields.StatusCreateTableStatement}"),
            "22P02" or "22P05" or "22021" => new(InvalidPayload, false, $"a row cannot be stored as jsonb: {text}"),
            "25006" => new(ReadOnly, true, $"{text}: the server is read-only (a standby?); point the connection string at the primary"),
            "57014" => new(Timeout, true, $"{text}: a statement ran longer than allowed (statement_timeout); retrying"),
            _ when e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState.StartsWith("53", StringComparison.Ordinal)
                || e.SqlState.StartsWith("57", StringComparison.Ordinal) || e.SqlState is "40001" or "40P01" or "55P03" =>
                new(Unreachable, true, $"{text}; retrying"),
            _ => new(DatabaseError, false, text),
        };
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    // Passwords of one or two characters would turn every message to stars; they are weak enough
    // to be a problem of their own.
    private static string Scrub(string message, string? password) =>
        password is { Length: > 2 } ? message.Replace(password, "***", StringComparison.Ordinal) : message;
}
