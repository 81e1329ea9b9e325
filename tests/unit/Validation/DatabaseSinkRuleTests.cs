using Kollect.Operator.Manifests;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;

namespace Kollect.Tests.Unit.Validation;

/// <summary>KollectDatabaseSink rules (SPEC §2.5) beyond the invalid-manifest table: what is accepted and what only warns.</summary>
public sealed class DatabaseSinkRuleTests
{
    private const string PostgresSink = """
        apiVersion: kollect.dev/v1alpha1
        kind: KollectDatabaseSink
        metadata: {name: inventory-db, namespace: team-a}
        spec:
          type: postgres
          postgres: {databaseRef: {name: inventory-db}, schema: Inventory, table: "kollect_items"}
          provisioning: {mode: existing}
          options: {statement_timeout: 10s, lock_timeout: 2s, application_name: kollect, pg_stat_statements.track: top}
          exportMinInterval: 1m
          cluster: prod-eu

        """;

    [Fact]
    public void A_well_formed_postgres_sink_has_no_problems() => Assert.Empty(Validate(PostgresSink));

    [Theory]
    [InlineData("apiToken")]
    [InlineData("PASSWORD")]
    [InlineData("connectionstring")]
    [InlineData("sslpassword")]
    public void Credential_like_option_keys_are_refused(string key)
    {
        var sink = PostgresSink.Replace("options: {statement_timeout: 10s,", $"options: {{{key}: x, statement_timeout: 10s,", StringComparison.Ordinal);

        var problem = Assert.Single(Validate(sink));

        Assert.Equal($"spec.options[{key}]", problem.Path);
        Assert.StartsWith("Forbidden: looks like a credential", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mongodb_is_reported_as_unsupported_not_ignored()
    {
        var problems = Validate("""
            apiVersion: kollect.dev/v1alpha1
            kind: KollectDatabaseSink
            metadata: {name: docs, namespace: team-a}
            spec:
              type: mongodb
              mongodb: {database: inventory, collection: items, databaseRef: {name: mongo}}

            """);

        var problem = Assert.Single(problems);
        Assert.Equal(("spec.type", ValidationSeverity.Error), (problem.Path, problem.Severity));
        Assert.Equal("Unsupported value: \"mongodb\": supported values: \"postgres\"; this operator writes to PostgreSQL only", problem.Message);
    }

    [Fact]
    public void Fields_postgres_does_not_use_are_warnings_with_the_reason()
    {
        var problems = Validate(PostgresSink + """
              endpoint: db.example.com:5432
              tls: {insecureSkipVerify: true}
              serialization: {compression: gzip}

            """);

        Assert.All(problems, p => Assert.Equal(ValidationSeverity.Warning, p.Severity));
        Assert.Equal(["spec.endpoint", "spec.serialization.compression", "spec.tls.insecureSkipVerify"], problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Contains("sslmode", problems.Single(p => p.Path == "spec.tls.insecureSkipVerify").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_ref_in_another_namespace_warns_about_the_operator_flag()
    {
        var problem = Assert.Single(Validate(PostgresSink.Replace("{name: inventory-db}", "{name: inventory-db, namespace: shared-dbs}", StringComparison.Ordinal)));

        Assert.Equal(("spec.postgres.databaseRef.namespace", ValidationSeverity.Warning), (problem.Path, problem.Severity));
        Assert.Contains("--allow-cross-namespace-secrets", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_serialization_formats_are_refused()
    {
        var problem = Assert.Single(Validate(PostgresSink + "  serialization: {format: csv}\n"));

        Assert.Equal(("spec.serialization.format", ValidationSeverity.Error), (problem.Path, problem.Severity));
        Assert.StartsWith("Unsupported value: \"csv\"", problem.Message, StringComparison.Ordinal);
    }

    private static List<ValidationProblem> Validate(string yaml)
    {
        var read = ManifestReader.ReadText("test.yaml", yaml);
        Assert.Empty(read.Errors);
        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Create(), SemanticValidationOptions.Default));
        return validator.Validate(Assert.Single(read.Documents)).Problems.ToList();
    }
}
