using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Sinks;

/// <summary>
/// The database sink fields that the Postgres sink's error texts point at, written with the
/// generated <c>JsonNames</c> (see <see cref="EventSinkFields"/>).
/// </summary>
internal static class DatabaseSinkFields
{
    public const string CaSecretRef = KollectDatabaseSinkSpecTls.JsonNames.CaSecretRef;
    public const string ProvisioningMode = $"{KollectDatabaseSinkSpec.JsonNames.Provisioning}.{KollectDatabaseSinkSpecProvisioning.JsonNames.Mode}";

    private const string Spec = KollectDatabaseSink.JsonNames.Spec;
    public const string SpecTls = $"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Tls}";
    public const string SpecTlsCaBundle = $"{SpecTls}.{KollectDatabaseSinkSpecTls.JsonNames.CaBundle}";
    public const string SpecTlsCaSecretRef = $"{SpecTls}.{CaSecretRef}";
    public const string SpecOptions = $"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Options}";
    public const string SpecPostgresSchema = $"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Postgres}.{KollectDatabaseSinkSpecPostgres.JsonNames.Schema}";
    public const string SpecPostgresDatabaseRef = $"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Postgres}.{KollectDatabaseSinkSpecPostgres.JsonNames.DatabaseRef}";
    public const string StatusCreateTableStatement =
        $"{KollectDatabaseSink.JsonNames.Status}.{KollectDatabaseSinkStatus.JsonNames.Preview}.{KollectDatabaseSinkStatusPreview.JsonNames.Postgres}.{KollectDatabaseSinkStatusPreviewPostgres.JsonNames.CreateTableStatement}";
}
