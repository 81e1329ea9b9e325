using System.Text;
using System.Text.Json;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Tests.Unit.Sinks.Postgres;

/// <summary>A KollectDatabaseSink and its Secrets to writer settings (SPEC §2.5, §6.5).</summary>
public sealed class DatabaseSinkResolverTests
{
    private const string Canary = "canary-pw-5be21";
    private const string CaPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    private readonly Dictionary<(string, string), Dictionary<string, byte[]>> _secrets = [];

    [Fact]
    public void The_dsn_key_table_schema_default_and_sorted_options()
    {
        AddSecret("team-a", "db", ("dsn", $"host=db.example.com user=kollect password={Canary} dbname=inventory sslmode=verify-full"), ("url", "postgres://ignored@x/y"));

        var result = Resolve("""{"type":"postgres","postgres":{"databaseRef":{"name":"db"},"table":"kollect_items"},"options":{"statement_timeout":"10s","lock_timeout":"2s"}}""");

        Assert.True(result.Succeeded, result.Failure?.Message);
        var settings = result.Postgres!;
        Assert.Equal(("public", "kollect_items", "\"public\".\"kollect_items\""), (settings.Schema, settings.Table, settings.QualifiedTable));
        Assert.Equal(KollectDatabaseSinkSpecProvisioningMode.Ensure, settings.Provisioning);
        Assert.Equal(["lock_timeout=2s", "statement_timeout=10s"], settings.Options.Select(o => $"{o.Key}={o.Value}"));
        Assert.Equal(("db.example.com", Canary), (settings.Connection.Hosts[0].Host, settings.Connection.Password));
        Assert.False(settings.TlsInsecure);
        Assert.DoesNotContain(Canary, settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_url_key_is_used_when_there_is_no_dsn()
    {
        AddSecret("team-a", "db", ("url", "postgresql://kollect@db.example.com/inventory"));

        var result = Resolve("""{"type":"postgres","postgres":{"databaseRef":{"name":"db"},"schema":"Inventory","table":"items"},"provisioning":{"mode":"existing"}}""");

        Assert.Equal(("\"Inventory\".\"items\"", KollectDatabaseSinkSpecProvisioningMode.Existing), (result.Postgres!.QualifiedTable, result.Postgres.Provisioning));
    }

    [Fact]
    public void A_ca_turns_require_into_verify_ca_as_libpq_does()
    {
        AddSecret("team-a", "db", ("dsn", "host=db user=kollect sslmode=require"));
        AddSecret("team-a", "db-ca", ("ca.crt", CaPem));

        var result = Resolve("""{"type":"postgres","postgres":{"databaseRef":{"name":"db"},"table":"items"},"tls":{"caSecretRef":{"name":"db-ca"}}}""");

        Assert.Equal((PostgresSslMode.VerifyCa, CaPem, false), (result.Postgres!.EffectiveSslMode, result.Postgres.CaPem, result.Postgres.TlsInsecure));
    }

    [Theory]
    [InlineData("bigquery", """{"type":"bigquery","bigquery":{"project":"p","dataset":"d","table":"t"}}""", DatabaseSinkResolution.UnsupportedSinkType, "spec.type: bigquery is not supported")]
    [InlineData("missing secret", """{"type":"postgres","postgres":{"databaseRef":{"name":"nope"},"table":"t"}}""", "SecretResolveFailed", "spec.postgres.databaseRef: Secret team-a/nope not found")]
    [InlineData("no dsn key", """{"type":"postgres","postgres":{"databaseRef":{"name":"no-dsn"},"table":"t"}}""", "SecretResolveFailed", "has neither key dsn nor url")]
    [InlineData("bad dsn", """{"type":"postgres","postgres":{"databaseRef":{"name":"bad-dsn"},"table":"t"}}""", "SecretResolveFailed", "key dsn: the connection string names no user")]
    [InlineData("cross namespace", """{"type":"postgres","postgres":{"databaseRef":{"name":"db","namespace":"other"},"table":"t"}}""", "SecretResolveFailed", "--allow-cross-namespace-secrets")]
    [InlineData("credential option", """{"type":"postgres","postgres":{"databaseRef":{"name":"db"},"table":"t"},"options":{"password":"x"}}""", "ConnectionTestFailed", "spec.options[password]: looks like a credential")]
    public void Failures_name_the_sink_and_field(string what, string spec, string reason, string message)
    {
        AddSecret("team-a", "no-dsn", ("password", Canary));
        AddSecret("team-a", "bad-dsn", ("dsn", $"host=db password={Canary}"));
        AddSecret("team-a", "db", ("dsn", "host=db user=kollect"));
        AddSecret("other", "db", ("dsn", "host=db user=kollect"));

        var failure = Resolve(spec).Failure;

        Assert.True(failure is not null, what);
        Assert.Equal(reason, failure.Reason);
        Assert.StartsWith("KollectDatabaseSink team-a/inventory-db: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Canary, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cross_namespace_secrets_resolve_when_the_operator_allows_them()
    {
        AddSecret("shared", "db", ("dsn", "host=db user=kollect"));

        var result = Resolve("""{"type":"postgres","postgres":{"databaseRef":{"name":"db","namespace":"shared"},"table":"t"}}""", allowCrossNamespace: true);

        Assert.True(result.Succeeded, result.Failure?.Message);
    }

    [Fact]
    public void A_changed_password_changes_the_fingerprint_without_revealing_it()
    {
        AddSecret("team-a", "db", ("dsn", $"host=db user=kollect password={Canary}"));
        const string Spec = """{"type":"postgres","postgres":{"databaseRef":{"name":"db"},"table":"t"}}""";
        var before = SinkSettingsFingerprint.Of(Resolve(Spec));
        var same = SinkSettingsFingerprint.Of(Resolve(Spec));
        AddSecret("team-a", "db", ("dsn", "host=db user=kollect password=rotated"));

        var after = SinkSettingsFingerprint.Of(Resolve(Spec));

        Assert.Equal(before, same);
        Assert.NotEqual(before, after);
        Assert.DoesNotContain(Canary, before, StringComparison.Ordinal);
    }

    private void AddSecret(string ns, string name, params (string Key, string Value)[] data) =>
        _secrets[(ns, name)] = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value));

    private DatabaseSinkResolution Resolve(string spec, bool allowCrossNamespace = false)
    {
        var json = $$"""{"apiVersion":"kollect.dev/v1alpha1","kind":"KollectDatabaseSink","metadata":{"name":"inventory-db","namespace":"team-a"},"spec":{{spec}}}""";
        var sink = JsonSerializer.Deserialize(json, KollectJsonContext.Default.KollectDatabaseSink)!;
        return new DatabaseSinkResolver(
                (ns, name) => _secrets.TryGetValue((ns, name), out var data) ? data : null,
                new EventSinkResolverOptions { AllowCrossNamespaceSecrets = allowCrossNamespace })
            .Resolve(sink);
    }
}
