using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Sinks.Common;

/// <summary>
/// The database sink fields that the resolver's and the Postgres sink's error texts point at,
/// written with the generated <c>JsonNames</c> (see <see cref="EventSinkFields"/>).
/// </summary>
internal static class DatabaseSinkFields
{
    public const string CaSecretRef = KollectDatabaseSinkSpecTls.JsonNames.CaSecretRef;
    public const string ProvisioningMode = $"{KollectDatabaseSinkSpec.JsonNames.Provisioning}.{KollectDatabaseSinkSpecProvisioning.JsonNames.Mode}";

    public const string Spec = KollectDatabaseSink.JsonNames.Spec;
    public const string SpecType = $"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Type}";
    public const string SpecOptions = $"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Options}";
    public const string SpecPostgres = $"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Postgres}";
    public const string SpecPostgresTable = $"{SpecPostgres}.{KollectDatabaseSinkSpecPostgres.JsonNames.Table}";
    public const string SpecPostgresSchema = $"{SpecPostgres}.{KollectDatabaseSinkSpecPostgres.JsonNames.Schema}";
    public const string SpecPostgresDatabaseRef = $"{SpecPostgres}.{KollectDatabaseSinkSpecPostgres.JsonNames.DatabaseRef}";
    public const string SpecTls = $"{Spec}.{KollectDatabaseSinkSpec.JsonNames.Tls}";
    public const string SpecTlsCaBundle = $"{SpecTls}.{KollectDatabaseSinkSpecTls.JsonNames.CaBundle}";
    public const string SpecTlsCaSecretRef = $"{SpecTls}.{CaSecretRef}";
    public const string StatusCreateTableStatement =
        $"{KollectDatabaseSink.JsonNames.Status}.{KollectDatabaseSinkStatus.JsonNames.Preview}.{KollectDatabaseSinkStatusPreview.JsonNames.Postgres}.{KollectDatabaseSinkStatusPreviewPostgres.JsonNames.CreateTableStatement}";
}
