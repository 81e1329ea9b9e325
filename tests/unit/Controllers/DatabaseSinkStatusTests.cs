using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Controllers;
using Kollect.Operator.Json;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Tests.Unit.Controllers;

/// <summary>The status a KollectDatabaseSink reconciler writes (SPEC §2.5, §6.3, §6.4), without an API server.</summary>
public sealed class DatabaseSinkStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_verified_sink_is_ready_and_a_second_identical_write_is_skipped()
    {
        var sink = Sink();
        var outcome = new SinkProbeOutcome(true, SinkProbeOutcome.ConnectionOk, "connected", false, TimeSpan.FromMilliseconds(12));

        var first = DatabaseSinkReconciler.BuildStatusPatch(sink, Resolution("verify-full"), outcome, testing: true, Now);
        Apply(sink, first!);
        var second = DatabaseSinkReconciler.BuildStatusPatch(sink, Resolution("verify-full"), outcome, testing: true, Now.AddMinutes(1));

        Assert.Equal(
            ["ConnectionVerified=True/ConnectionOK", "Ready=True/SinkReady", "Degraded=False/AsExpected", "TLSInsecure=False/CertificatesVerified"],
            sink.Status!.Conditions!.Select(c => $"{c.Type}={c.Status}/{c.Reason}"));
        Assert.Equal(3, sink.Status.ObservedGeneration);
        Assert.Null(second);
    }

    [Fact]
    public void An_unverified_sslmode_is_reported_insecure_and_a_failed_test_degrades()
    {
        var sink = Sink();
        var failed = new SinkProbeOutcome(false, EventSinkResolveFailure.ConnectionTestFailed, "password authentication failed", true, TimeSpan.Zero);

        Apply(sink, DatabaseSinkReconciler.BuildStatusPatch(sink, Resolution("require"), failed, testing: true, Now)!);

        var conditions = sink.Status!.Conditions!.ToDictionary(c => c.Type);
        Assert.Equal(("False", "False", "True", "True"), (conditions["ConnectionVerified"].Status, conditions["Ready"].Status, conditions["Degraded"].Status, conditions["TLSInsecure"].Status));
        Assert.Contains("sslmode is require", conditions["TLSInsecure"].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_type_is_not_ready_and_says_why()
    {
        var sink = Sink();
        var resolution = new DatabaseSinkResolution
        {
            Sink = "team-a/inventory-db",
            Type = "bigquery",
            Failure = new EventSinkResolveFailure(DatabaseSinkResolution.UnsupportedSinkType, "spec.type: bigquery is not supported by this operator"),
        };

        Apply(sink, DatabaseSinkReconciler.BuildStatusPatch(sink, resolution, null, testing: true, Now)!);

        var ready = sink.Status!.Conditions!.Single(c => c.Type == "Ready");
        Assert.Equal(("False", DatabaseSinkResolution.UnsupportedSinkType), (ready.Status, ready.Reason));
    }

    [Fact]
    public void The_preview_shows_the_table_and_its_ddl_keeps_its_time_and_goes_with_the_annotation()
    {
        var sink = Sink(preview: true);
        var outcome = new SinkProbeOutcome(true, SinkProbeOutcome.ConnectionOk, "connected", false, TimeSpan.Zero);

        Apply(sink, DatabaseSinkReconciler.BuildStatusPatch(sink, Resolution("verify-full"), outcome, testing: true, Now)!);
        var again = DatabaseSinkReconciler.BuildStatusPatch(sink, Resolution("verify-full"), outcome, testing: true, Now.AddMinutes(5));
        var preview = sink.Status!.Preview!;
        sink.Metadata.Annotations!.Remove("kollect.dev/preview");
        var cleared = DatabaseSinkReconciler.BuildStatusPatch(sink, Resolution("verify-full"), outcome, testing: true, Now.AddMinutes(6));

        Assert.Equal(("Inventory", "kollect_items", "existing", "synthetic"), (preview.Postgres!.Schema, preview.Postgres.Table, preview.ProvisioningMode, preview.InputSampleSource));
        Assert.Equal(PostgresStatements.CreateTable("Inventory", "kollect_items"), preview.Postgres.CreateTableStatement);
        Assert.Equal(Now, preview.RenderedAt);
        Assert.Null(again);
        Assert.True(cleared!["status"]!.AsObject().TryGetPropertyValue("preview", out var removed) && removed is null);
    }

    private static KollectDatabaseSink Sink(bool preview = false)
    {
        var annotations = preview ? "{\"kollect.dev/preview\":\" True \"}" : "{}";
        var json = "{\"apiVersion\":\"kollect.dev/v1alpha1\",\"kind\":\"KollectDatabaseSink\","
            + "\"metadata\":{\"name\":\"inventory-db\",\"namespace\":\"team-a\",\"generation\":3,\"annotations\":" + annotations + "},"
            + "\"spec\":{\"type\":\"postgres\",\"postgres\":{\"databaseRef\":{\"name\":\"db\"},\"schema\":\"Inventory\",\"table\":\"kollect_items\"},\"provisioning\":{\"mode\":\"existing\"}}}";
        return JsonSerializer.Deserialize(json, KollectJsonContext.Default.KollectDatabaseSink)!;
    }

    private static DatabaseSinkResolution Resolution(string sslMode)
    {
        Assert.True(PostgresConnectionString.TryParse($"host=db user=kollect sslmode={sslMode}", out var connection, out _));
        return new DatabaseSinkResolution
        {
            Sink = "team-a/inventory-db",
            Type = "postgres",
            Postgres = new PostgresSinkSettings { Connection = connection, Schema = "Inventory", Table = "kollect_items", EndpointPolicy = EndpointPolicy.PublicOnly },
        };
    }

    // As the API server applies a status merge patch to the stored object (whole fields replaced; null deletes).
    private static void Apply(KollectDatabaseSink sink, JsonObject patch)
    {
        var stored = JsonSerializer.SerializeToNode(sink, KollectJsonContext.Default.KollectDatabaseSink)!.AsObject();
        var status = stored["status"] as JsonObject ?? [];
        foreach (var (key, value) in patch["status"]!.AsObject())
        {
            status[key] = value?.DeepClone();
        }

        stored["status"] = status;
        var updated = stored.Deserialize(KollectJsonContext.Default.KollectDatabaseSink)!;
        sink.Status = updated.Status;
    }
}
