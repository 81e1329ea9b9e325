using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Controllers;
using Kollect.Operator.Json;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Nats;

namespace Kollect.Tests.Unit.Controllers;

/// <summary>The sink reconciler's pure parts: status patches that settle, the preview, the settings fingerprint.</summary>
public sealed class EventSinkStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 5, 0, 0, TimeSpan.Zero);

    private static JsonObject Sink(string? preview = null, bool insecure = false) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["name"] = "orders",
            ["namespace"] = "team-a",
            ["generation"] = 2L,
            ["annotations"] = preview is null ? new JsonObject() : new JsonObject { [EventSinkPreview.Annotation] = preview },
        },
        ["spec"] = new JsonObject
        {
            ["type"] = "nats",
            ["nats"] = new JsonObject { ["url"] = "nats://broker.example:4222", ["subject"] = "inv.events", ["stream"] = "team.events" },
            ["tls"] = new JsonObject { ["insecureSkipVerify"] = insecure },
        },
    };

    private static KollectEventSink Typed(JsonObject sink) => KollectModels.EventSink(sink)!;

    private static EventSinkResolution Resolution(string password = "p1") => new()
    {
        Sink = "team-a/orders",
        Type = "nats",
        EndpointPolicy = EndpointPolicy.PublicOnly,
        Nats = new NatsSinkOptions { Url = "nats://broker.example:4222", Subject = "inv.events", Auth = new NatsAuthOptions { Username = "u", Password = password } },
    };

    private static JsonObject Apply(JsonObject sink, JsonObject patch)
    {
        var status = sink["status"] as JsonObject ?? [];
        foreach (var (name, value) in patch["status"]!.AsObject())
        {
            if (value is null)
            {
                status.Remove(name);
            }
            else
            {
                status[name] = value.DeepClone();
            }
        }

        sink["status"] = status;
        return sink;
    }

    [Fact]
    public void A_verified_sink_gets_its_conditions_once_and_then_no_patch()
    {
        var outcome = new SinkProbeOutcome(true, SinkProbeOutcome.ConnectionOk, "stream captures the subject", false, TimeSpan.FromMilliseconds(5));
        var sink = Sink(insecure: true);

        var first = EventSinkReconciler.BuildStatusPatch(Typed(sink), Resolution(), outcome, testing: true, Now);
        Apply(sink, first!);
        var second = EventSinkReconciler.BuildStatusPatch(Typed(sink), Resolution(), outcome, testing: true, Now.AddMinutes(1));

        Assert.Null(second);
        Assert.Equal(2L, (long?)sink["status"]?["observedGeneration"]);
        var conditions = sink["status"]!["conditions"]!.AsArray().ToDictionary(c => (string)c!["type"]!, c => (string)c!["status"]!);
        Assert.Equal("True", conditions["ConnectionVerified"]);
        Assert.Equal("True", conditions["Ready"]);
        Assert.Equal("False", conditions["Degraded"]);
        Assert.Equal("True", conditions["TLSInsecure"]);
    }

    [Fact]
    public void Preview_keeps_its_renderedAt_across_reconciles_and_is_cleared_without_the_annotation()
    {
        var sink = Sink(preview: "  True ");
        Apply(sink, EventSinkReconciler.BuildStatusPatch(Typed(sink), Resolution(), null, testing: false, Now)!);
        var renderedAt = (string?)sink["status"]?["preview"]?["renderedAt"];

        var again = EventSinkReconciler.BuildStatusPatch(Typed(sink), Resolution(), null, testing: false, Now.AddMinutes(5));
        sink["metadata"]!["annotations"] = new JsonObject();
        var cleared = EventSinkReconciler.BuildStatusPatch(Typed(sink), Resolution(), null, testing: false, Now.AddMinutes(6));

        Assert.Null(again);
        Assert.Equal("2026-11-22T05:00:00Z", renderedAt);
        Assert.Equal("team_events", (string?)sink["status"]?["preview"]?["nats"]?["stream"]);
        Assert.True(cleared!["status"]!.AsObject().ContainsKey("preview"));
        Assert.Null(cleared["status"]!["preview"]);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("yes", false)]
    [InlineData("", false)]
    public void Preview_annotation_is_trimmed_and_case_insensitive(string value, bool requested) =>
        Assert.Equal(requested, EventSinkPreview.IsRequested(Typed(Sink(preview: value))));

    [Fact]
    public void Fingerprint_changes_with_a_secret_value()
    {
        var before = SinkSettingsFingerprint.Of(Resolution("p1"));

        Assert.Equal(before, SinkSettingsFingerprint.Of(Resolution("p1")));
        Assert.NotEqual(before, SinkSettingsFingerprint.Of(Resolution("p2")));
    }
}
