using Kollect.Api.V1Alpha1;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Operator.Controllers;

/// <summary>
/// <c>status.preview</c> of a <c>KollectDatabaseSink</c> (SPEC §2.5, §6.4): where rows would be
/// written and the DDL <c>ensure</c> issues, rendered from the spec alone (no database is
/// contacted, no Secret read). Pure.
/// </summary>
public static class DatabaseSinkPreview
{
    /// <summary>True when the sink carries <c>kollect.dev/preview: "true"</c> (trimmed, any case).</summary>
    public static bool IsRequested(KollectDatabaseSink sink) =>
        string.Equals(sink?.Metadata.Annotations?.GetValueOrDefault(EventSinkPreview.Annotation)?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The preview; <c>renderedAt</c> is kept from <paramref name="existing"/> when nothing else
    /// changed, so the preview's own status write does not render it again.
    /// </summary>
    public static KollectDatabaseSinkStatusPreview Render(KollectDatabaseSink sink, KollectDatabaseSinkStatusPreview? existing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var spec = sink.Spec;
        const string Spec = KollectDatabaseSink.JsonNames.Spec;
        var warnings = new List<string>();
        if (spec?.Type is not KollectDatabaseSinkSpecType.Postgres)
        {
            warnings.Add($"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Type} is not {DatabaseSinkResolver.TypeName(KollectDatabaseSinkSpecType.Postgres)}: this operator writes to PostgreSQL only, so nothing would be written");
        }

        if (spec?.ConnectionTest == false)
        {
            warnings.Add($"{Spec}.{KollectDatabaseSinkSpec.JsonNames.ConnectionTest} is false: the operator does not test this sink's connection");
        }

        if (spec?.Tls?.InsecureSkipVerify == true)
        {
            warnings.Add($"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Tls}.{KollectDatabaseSinkSpecTls.JsonNames.InsecureSkipVerify} is not used: the connection string's sslmode decides whether the server is verified");
        }

        var postgres = spec?.Postgres;
        var schema = postgres?.Schema is { Length: > 0 } s ? s : PostgresIdentifier.DefaultSchema;
        var preview = new KollectDatabaseSinkStatusPreview
        {
            RenderedAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero),
            InputSampleSource = "synthetic",
            ProvisioningMode = spec?.Provisioning?.Mode == KollectDatabaseSinkSpecProvisioningMode.Existing ? "existing" : "ensure",
            SerializationFormat = "json",
            Warnings = warnings,
            Postgres = postgres is null ? null : new KollectDatabaseSinkStatusPreviewPostgres
            {
                Schema = schema,
                Table = postgres.Table,
                CreateTableStatement = PostgresStatements.CreateTable(schema, postgres.Table),
            },
        };
        if (existing?.RenderedAt is { } renderedAt && Same(preview, existing))
        {
            preview.RenderedAt = renderedAt;
        }

        return preview;
    }

    private static bool Same(KollectDatabaseSinkStatusPreview a, KollectDatabaseSinkStatusPreview b) =>
        a.InputSampleSource == b.InputSampleSource && a.ProvisioningMode == b.ProvisioningMode && a.SerializationFormat == b.SerializationFormat
        && (a.Warnings ?? []).SequenceEqual(b.Warnings ?? [])
        && a.Postgres?.Schema == b.Postgres?.Schema && a.Postgres?.Table == b.Postgres?.Table && a.Postgres?.CreateTableStatement == b.Postgres?.CreateTableStatement;
}
