using System.Text;
using System.Text.Json;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Operator.Sinks;

/// <summary>
/// Maps a <c>KollectDatabaseSink</c> and its Secrets to writer settings (SPEC §2.5): the connection
/// string comes from the <c>spec.postgres.databaseRef</c> Secret's key <c>dsn</c> (or <c>url</c>), a CA
/// from <c>spec.tls</c>; <c>schema</c> defaults to <c>public</c>, <c>provisioning.mode</c> to
/// <c>ensure</c>. Pure apart from the injected Secret lookup, so <c>kollect probe</c>, <c>kollect
/// export</c> and the operator resolve a sink alike. Never throws for a bad sink or Secret, and no
/// message carries a value of the Secret.
/// </summary>
public sealed class DatabaseSinkResolver(SinkSecretLookup secrets, EventSinkResolverOptions options)
{
    /// <summary>Secret keys that may hold the connection string, in order of preference.</summary>
    public static readonly IReadOnlyList<string> ConnectionStringKeys = ["dsn", "url"]; // not a Kollect field: Secret keys

    public DatabaseSinkResolution Resolve(KollectDatabaseSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var ns = sink.Metadata.Namespace is { Length: > 0 } given ? given : "default";
        var context = new SinkContext($"{ns}/{sink.Metadata.Name ?? "(no name)"}", ns);
        var spec = sink.Spec;
        var type = spec is null ? "" : TypeName(spec.Type);
        var result = new DatabaseSinkResolution { Sink = context.Sink, Type = type };
        try
        {
            if (spec is null)
            {
                throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, DatabaseSinkFields.Spec, "is required");
            }

            if (spec.Type != KollectDatabaseSinkSpecType.Postgres)
            {
                throw context.Fail(DatabaseSinkResolution.UnsupportedSinkType, DatabaseSinkFields.SpecType, $"{type} is not supported by this operator; only {TypeName(KollectDatabaseSinkSpecType.Postgres)} database sinks are written to");
            }

            return result with { Postgres = ResolvePostgres(spec, context) };
        }
        catch (ResolveException failure)
        {
            return result with { Failure = failure.Failure };
        }
    }

    /// <summary>The JSON value of a database sink type (<c>postgres</c>, …).</summary>
    public static string TypeName(KollectDatabaseSinkSpecType type) =>
        JsonSerializer.Serialize(type, KollectJsonContext.Default.KollectDatabaseSinkSpecType).Trim('"');

    private PostgresSinkSettings ResolvePostgres(KollectDatabaseSinkSpec spec, SinkContext context)
    {
        var block = spec.Postgres ?? throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, DatabaseSinkFields.SpecPostgres, $"is required when {DatabaseSinkFields.SpecType} is {TypeName(KollectDatabaseSinkSpecType.Postgres)}");
        if (PostgresIdentifier.Problem(block.Table, KollectDatabaseSinkSpecPostgres.JsonNames.Table) is { } tableProblem)
        {
            throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, DatabaseSinkFields.SpecPostgresTable, tableProblem);
        }

        var schema = block.Schema is { Length: > 0 } s ? s : PostgresIdentifier.DefaultSchema;
        if (PostgresIdentifier.Problem(schema, KollectDatabaseSinkSpecPostgres.JsonNames.Schema) is { } schemaProblem)
        {
            throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, DatabaseSinkFields.SpecPostgresSchema, schemaProblem);
        }

        var sessionOptions = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in (spec.Options ?? []).OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            if ((PostgresSessionOption.KeyProblem(key) ?? PostgresSessionOption.ValueProblem(value)) is { } optionProblem)
            {
                throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, $"{DatabaseSinkFields.SpecOptions}[{key}]", optionProblem);
            }

            sessionOptions.Add(new(key, value));
        }

        const string RefField = DatabaseSinkFields.SpecPostgresDatabaseRef;
        var (description, data) = Lookup(block.DatabaseRef.Name, block.DatabaseRef.Namespace, RefField, context);
        var connectionKey = ConnectionStringKeys.FirstOrDefault(data.ContainsKey)
            ?? throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, RefField, $"{description} has neither key dsn nor url; put the connection string under dsn");
        if (!PostgresConnectionString.TryParse(Encoding.UTF8.GetString(data[connectionKey]), out var connection, out var problem))
        {
            throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, RefField, $"{description} key {connectionKey}: the connection string {problem}");
        }

        return new PostgresSinkSettings
        {
            Connection = connection,
            Schema = schema,
            Table = block.Table,
            Provisioning = spec.Provisioning?.Mode ?? KollectDatabaseSinkSpecProvisioningMode.Ensure,
            Options = sessionOptions,
            CaPem = ReadCa(spec.Tls, context),
            EndpointPolicy = options.EndpointPolicy,
            ConnectTimeout = connection.ConnectTimeout ?? options.ConnectTimeout,
        };
    }

    private string? ReadCa(KollectDatabaseSinkSpecTls? tls, SinkContext context)
    {
        if (tls?.CaBundle is { Length: > 0 } bundle)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(bundle));
            }
            catch (FormatException)
            {
                throw context.Fail(EventSinkResolveFailure.ConnectionTestFailed, DatabaseSinkFields.SpecTlsCaBundle, "is not valid base64; encode the PEM CA bundle with base64");
            }
        }

        if (tls?.CaSecretRef is not { } caRef)
        {
            return null;
        }

        var (description, data) = Lookup(caRef.Name, caRef.Namespace, DatabaseSinkFields.SpecTlsCaSecretRef, context);
        var pem = data.GetValueOrDefault(SinkSecretKeys.CaCrt) ?? data.GetValueOrDefault(SinkSecretKeys.TlsCrt)
            ?? throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, DatabaseSinkFields.SpecTlsCaSecretRef, $"{description} has neither key {SinkSecretKeys.CaCrt} nor {SinkSecretKeys.TlsCrt}");
        return Encoding.UTF8.GetString(pem);
    }

    private (string Description, IReadOnlyDictionary<string, byte[]> Data) Lookup(string name, string? secretNamespace, string field, SinkContext context)
    {
        if (name.Length == 0)
        {
            throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, $"{field}.{KollectDatabaseSinkSpecPostgresDatabaseRef.JsonNames.Name}", "is required");
        }

        var ns = secretNamespace is { Length: > 0 } given ? given : context.Namespace;
        if (ns != context.Namespace && !options.AllowCrossNamespaceSecrets)
        {
            // SPEC §6.5: another namespace's Secret only where the operator allows it.
            throw context.Fail(
                EventSinkResolveFailure.SecretResolveFailed,
                $"{field}.{KollectDatabaseSinkSpecPostgresDatabaseRef.JsonNames.Namespace}",
                $"Secret {ns}/{name} is in another namespace than the sink; move the Secret to {context.Namespace} or start the operator with --allow-cross-namespace-secrets");
        }

        var data = secrets(ns, name) ?? throw context.Fail(EventSinkResolveFailure.SecretResolveFailed, field, $"Secret {ns}/{name} not found");
        return ($"Secret {ns}/{name}", data);
    }

    private sealed record SinkContext(string Sink, string Namespace)
    {
        public ResolveException Fail(string reason, string field, string message) =>
            new(new EventSinkResolveFailure(reason, $"{KollectDatabaseSink.KindName} {Sink}: {field}: {message}"));
    }

    private sealed class ResolveException(EventSinkResolveFailure failure) : Exception(failure.Message)
    {
        public EventSinkResolveFailure Failure { get; } = failure;
    }
}
