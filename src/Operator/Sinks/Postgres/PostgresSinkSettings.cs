using Kollect.Api.V1Alpha1;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Postgres;

/// <summary>
/// A resolved PostgreSQL database sink (SPEC §2.5): its parsed connection string, the table, the
/// provisioning mode, the session options and the CA to trust. <see cref="ToString"/> never shows
/// the password.
/// </summary>
public sealed record PostgresSinkSettings
{
    public required PostgresConnectionString Connection { get; init; }

    public required string Schema { get; init; }

    public required string Table { get; init; }

    public KollectDatabaseSinkSpecProvisioningMode Provisioning { get; init; } = KollectDatabaseSinkSpecProvisioningMode.Ensure;

    /// <summary><c>spec.options</c>, ordinal by key; applied with <c>set_config(key, value, true)</c> in every transaction.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; init; } = [];

    /// <summary>PEM CA bundle from <c>spec.tls</c>; null to trust the system's CAs.</summary>
    public string? CaPem { get; init; }

    public required EndpointPolicy EndpointPolicy { get; init; }

    /// <summary>The operator's connect timeout; the connection string's <c>connect_timeout</c> wins when set.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one statement may run before the client gives up on it.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The effective certificate check: libpq treats <c>require</c> with a CA as <c>verify-ca</c>.</summary>
    public PostgresSslMode EffectiveSslMode =>
        Connection.SslMode == PostgresSslMode.Require && CaPem is not null ? PostgresSslMode.VerifyCa : Connection.SslMode;

    /// <summary>True when TLS may be used without verifying the server (the <c>TLSInsecure</c> condition).</summary>
    public bool TlsInsecure => EffectiveSslMode is PostgresSslMode.Allow or PostgresSslMode.Prefer or PostgresSslMode.Require;

    /// <summary><c>"schema"."table"</c>.</summary>
    public string QualifiedTable => PostgresIdentifier.Qualified(Schema, Table);

    public override string ToString() => $"{Connection.Describe()} table {QualifiedTable} ({Provisioning}, sslmode {EffectiveSslMode})";
}
