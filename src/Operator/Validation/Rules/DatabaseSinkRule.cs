using System.Text.Json;
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
    public void Check(SemanticValidationContext context)
    {
        if (context.Kind != KollectDatabaseSink.KindName || Read(context.Object)?.Spec is not { } spec)
        {
            return;
        }

        var report = context.Report;
        if (spec.Type != KollectDatabaseSinkSpecType.Postgres)
        {
            var type = spec.Type == KollectDatabaseSinkSpecType.Bigquery ? "bigquery" : "mongodb";
            report.Error("spec.type", FieldMessages.NotSupported(type, ["postgres"]) + "; this operator writes to PostgreSQL only");
            return;
        }

        if (spec.Postgres is not { } postgres)
        {
            report.Error("spec.postgres", FieldMessages.Required("spec.type is postgres, so the postgres block must be set"));
        }
        else
        {
            if (PostgresIdentifier.Problem(postgres.Table, "table") is { } tableProblem)
            {
                report.Error("spec.postgres.table", FieldMessages.Invalid(postgres.Table, tableProblem));
            }

            if (postgres.Schema is { } schema && PostgresIdentifier.Problem(schema, "schema") is { } schemaProblem)
            {
                report.Error("spec.postgres.schema", FieldMessages.Invalid(schema, schemaProblem + $" (omit the field for {PostgresIdentifier.DefaultSchema})"));
            }

            CommonRules.CheckSecretRef(postgres.DatabaseRef.Name, postgres.DatabaseRef.Namespace, "spec.postgres.databaseRef", context.Namespace, report);
        }

        foreach (var (block, present) in (ReadOnlySpan<(string, bool)>)[("bigquery", spec.Bigquery is not null), ("mongodb", spec.Mongodb is not null)])
        {
            if (present)
            {
                report.Error("spec." + block, FieldMessages.Forbidden($"spec.type is postgres; remove the {block} block"));
            }
        }

        foreach (var (key, value) in spec.Options ?? [])
        {
            if (PostgresSessionOption.KeyProblem(key) is { } keyProblem)
            {
                report.Error($"spec.options[{key}]", FieldMessages.Forbidden(keyProblem));
            }
            else if (PostgresSessionOption.ValueProblem(value) is { } valueProblem)
            {
                report.Error($"spec.options[{key}]", FieldMessages.Invalid(value, valueProblem));
            }
        }

        if (spec.ExportMinInterval is { } interval)
        {
            CommonRules.CheckInterval(interval, interval.ToString(), "spec.exportMinInterval", report);
        }

        if (spec.Serialization?.Format is { } format && format != KollectDatabaseSinkSpecSerializationFormat.Json)
        {
            report.Error("spec.serialization.format", FieldMessages.NotSupported(format.ToString().ToLowerInvariant(), ["json"]) + "; rows are stored as jsonb");
        }

        CheckTls(spec.Tls, context.Namespace, report);
        WarnUnused(spec, report);
    }

    private static KollectDatabaseSink? Read(JsonElement obj)
    {
        try
        {
            return obj.Deserialize(KollectJsonContext.Default.KollectDatabaseSink);
        }
        catch (JsonException)
        {
            return null;
        }
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
                report.Error("spec.tls.caBundle", "Invalid value: " + bundleProblem);
            }

            if (tls.CaSecretRef is not null)
            {
                report.Error("spec.tls.caSecretRef", FieldMessages.Forbidden("set either spec.tls.caBundle or spec.tls.caSecretRef, not both"));
            }
        }

        if (tls.CaSecretRef is { } caRef)
        {
            CommonRules.CheckSecretRef(caRef.Name, caRef.Namespace, "spec.tls.caSecretRef", objectNamespace, report);
        }

        if (tls.InsecureSkipVerify == true)
        {
            report.Warning("spec.tls.insecureSkipVerify", "not used by PostgreSQL sinks: the connection string's sslmode decides whether the server certificate is verified (sslmode=require encrypts without verifying)");
        }
    }

    private static void WarnUnused(KollectDatabaseSinkSpec spec, ValidationReport report)
    {
        const string NotUsed = "not used by PostgreSQL sinks; ignored";
        if (spec.Endpoint is not null)
        {
            report.Warning("spec.endpoint", "not used by PostgreSQL sinks: the connection string comes from the spec.postgres.databaseRef Secret (key dsn or url)");
        }

        if (spec.SecretRef is not null)
        {
            report.Warning("spec.secretRef", "not used by PostgreSQL sinks: the connection string comes from the spec.postgres.databaseRef Secret (key dsn or url)");
        }

        if (spec.Layout is not null)
        {
            report.Warning("spec.layout", "applies to snapshot sinks only; " + NotUsed);
        }

        if (spec.PathTemplate is not null)
        {
            report.Warning("spec.pathTemplate", "applies to snapshot sinks only; " + NotUsed);
        }

        if (spec.Provisioning?.Naming is not null)
        {
            report.Warning("spec.provisioning.naming", NotUsed + ": the table is spec.postgres.table");
        }

        if (spec.Serialization?.Compression is { } compression && compression != KollectDatabaseSinkSpecSerializationCompression.None)
        {
            report.Warning("spec.serialization.compression", NotUsed + ": rows are stored uncompressed as jsonb (PostgreSQL compresses large values itself)");
        }
    }
}
