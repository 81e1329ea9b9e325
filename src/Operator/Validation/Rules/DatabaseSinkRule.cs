using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// KollectDatabaseSink rules the schema cannot express (SPEC §2.5). Reads the object once into its
/// generated type; an object that does not fit the type has schema errors, which are reported
/// instead. Only <c>postgres</c> is written to: the other types of the original are errors here and
/// <c>Ready=False</c> in the operator, never silently ignored.
/// </summary>
public sealed class DatabaseSinkRule : ISemanticRule
{
    private const string Spec = KollectDatabaseSink.JsonNames.Spec;

    private const string Postgres = KollectDatabaseSinkSpec.JsonNames.Postgres;

    private static readonly string TypePath = FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Type);

    private static readonly string PostgresPath = FieldPath.Of(Spec, Postgres);

    private static readonly string OptionsPath = FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Options);

    private static readonly string BundlePath = FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Tls, KollectDatabaseSinkSpecTls.JsonNames.CaBundle);

    private static readonly string CaSecretPath = FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Tls, KollectDatabaseSinkSpecTls.JsonNames.CaSecretRef);

    private static readonly string NotUsedConnection =
        $"not used by PostgreSQL sinks: the connection string comes from the {FieldPath.Of(Spec, Postgres, KollectDatabaseSinkSpecPostgres.JsonNames.DatabaseRef)} Secret (key dsn or url)";

    public void Check(SemanticValidationContext context)
    {
        if (context.Kind != KollectDatabaseSink.KindName || context.Read(KollectJsonContext.Default.KollectDatabaseSink)?.Spec is not { } spec)
        {
            return;
        }

        var report = context.Report;
        if (spec.Type != KollectDatabaseSinkSpecType.Postgres)
        {
            var type = FieldMessages.Text(spec.Type, KollectJsonContext.Default.KollectDatabaseSinkSpecType);
            report.Error(FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Type), FieldMessages.NotSupported(type, [Postgres]) + "; this operator writes to PostgreSQL only");
            return;
        }

        if (spec.Postgres is not { } postgres)
        {
            report.Error(PostgresPath, FieldMessages.Required($"{TypePath} is {Postgres}, so the {Postgres} block must be set"));
        }
        else
        {
            if (PostgresIdentifier.Problem(postgres.Table, KollectDatabaseSinkSpecPostgres.JsonNames.Table) is { } tableProblem)
            {
                report.Error(FieldPath.Of(PostgresPath, KollectDatabaseSinkSpecPostgres.JsonNames.Table), FieldMessages.Invalid(postgres.Table, tableProblem));
            }

            if (postgres.Schema is { } schema && PostgresIdentifier.Problem(schema, KollectDatabaseSinkSpecPostgres.JsonNames.Schema) is { } schemaProblem)
            {
                report.Error(FieldPath.Of(PostgresPath, KollectDatabaseSinkSpecPostgres.JsonNames.Schema), FieldMessages.Invalid(schema, schemaProblem + $" (omit the field for {PostgresIdentifier.DefaultSchema})"));
            }

            CommonRules.CheckSecretRef(postgres.DatabaseRef.Name, postgres.DatabaseRef.Namespace, FieldPath.Of(PostgresPath, KollectDatabaseSinkSpecPostgres.JsonNames.DatabaseRef), context.Namespace, report);
        }

        foreach (var (block, present) in (ReadOnlySpan<(string, bool)>)[(KollectDatabaseSinkSpec.JsonNames.Bigquery, spec.Bigquery is not null), (KollectDatabaseSinkSpec.JsonNames.Mongodb, spec.Mongodb is not null)])
        {
            if (present)
            {
                report.Error(FieldPath.Of(Spec, block), FieldMessages.Forbidden($"{TypePath} is {Postgres}; remove the {block} block"));
            }
        }

        foreach (var (key, value) in spec.Options ?? [])
        {
            if (PostgresSessionOption.KeyProblem(key) is { } keyProblem)
            {
                report.Error($"{OptionsPath}[{key}]", FieldMessages.Forbidden(keyProblem));
            }
            else if (PostgresSessionOption.ValueProblem(value) is { } valueProblem)
            {
                report.Error($"{OptionsPath}[{key}]", FieldMessages.Invalid(value, valueProblem));
            }
        }

        if (spec.ExportMinInterval is { } interval)
        {
            CommonRules.CheckInterval(interval, FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.ExportMinInterval), report);
        }

        if (spec.Serialization?.Format is { } format && format != KollectDatabaseSinkSpecSerializationFormat.Json)
        {
            report.Error(FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Serialization, KollectDatabaseSinkSpecSerialization.JsonNames.Format), FieldMessages.NotSupported(FieldMessages.Text(format, KollectJsonContext.Default.KollectDatabaseSinkSpecSerializationFormat), [FieldMessages.Text(KollectDatabaseSinkSpecSerializationFormat.Json, KollectJsonContext.Default.KollectDatabaseSinkSpecSerializationFormat)]) + "; rows are stored as jsonb");
        }

        CheckTls(spec.Tls, context.Namespace, report);
        WarnUnused(spec, report);
    }

    private static void CheckTls(KollectDatabaseSinkSpecTls? tls, string? objectNamespace, ValidationReport report)
    {
        if (tls is null)
        {
            return;
        }

        if (tls.CaBundle is { } bundle)
        {
            if (CommonRules.CheckCaBundle(bundle) is { } bundleProblem)
            {
                report.Error(BundlePath, "Invalid value: " + bundleProblem);
            }

            if (tls.CaSecretRef is not null)
            {
                report.Error(CaSecretPath, FieldMessages.Forbidden($"set either {BundlePath} or {CaSecretPath}, not both"));
            }
        }

        if (tls.CaSecretRef is { } caRef)
        {
            CommonRules.CheckSecretRef(caRef.Name, caRef.Namespace, CaSecretPath, objectNamespace, report);
        }

        if (tls.InsecureSkipVerify == true)
        {
            report.Warning(FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Tls, KollectDatabaseSinkSpecTls.JsonNames.InsecureSkipVerify), "not used by PostgreSQL sinks: the connection string's sslmode decides whether the server certificate is verified (sslmode=require encrypts without verifying)");
        }
    }

    private static void WarnUnused(KollectDatabaseSinkSpec spec, ValidationReport report)
    {
        const string NotUsed = "not used by PostgreSQL sinks; ignored";
        if (spec.Endpoint is not null)
        {
            report.Warning(FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Endpoint), NotUsedConnection);
        }

        if (spec.SecretRef is not null)
        {
            report.Warning(FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.SecretRef), NotUsedConnection);
        }

        if (spec.Layout is not null)
        {
            report.Warning(FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Layout), "applies to snapshot sinks only; " + NotUsed);
        }

        if (spec.PathTemplate is not null)
        {
            report.Warning(FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.PathTemplate), "applies to snapshot sinks only; " + NotUsed);
        }

        if (spec.Provisioning?.Naming is not null)
        {
            report.Warning(FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Provisioning, KollectDatabaseSinkSpecProvisioning.JsonNames.Naming), $"{NotUsed}: the table is {FieldPath.Of(PostgresPath, KollectDatabaseSinkSpecPostgres.JsonNames.Table)}");
        }

        if (spec.Serialization?.Compression is { } compression && compression != KollectDatabaseSinkSpecSerializationCompression.None)
        {
            report.Warning(FieldPath.Of(Spec, KollectDatabaseSinkSpec.JsonNames.Serialization, KollectDatabaseSinkSpecSerialization.JsonNames.Compression), NotUsed + ": rows are stored uncompressed as jsonb (PostgreSQL compresses large values itself)");
        }
    }
}
