using System.Text.Json.Nodes;
using Kollect.Operator.Controllers;
using Kollect.Operator.Kube;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;

namespace Kollect.Tests.Unit.Runtime;

public sealed class AcknowledgingReconcilerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReadyJudgement Seen = new("True", AcknowledgingReconciler.Reason, "seen");

    private static JsonObject Object(long generation, JsonObject? status = null)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "kollect.dev/v1alpha1",
            ["kind"] = "KollectProfile",
            ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = "default", ["generation"] = generation },
        };
        if (status is not null)
        {
            obj["status"] = status;
        }
        return obj;
    }

    [Fact]
    public void First_reconcile_patches_observed_generation_and_condition()
    {
        var patch = AcknowledgingReconciler.BuildStatusPatch(Object(2), Seen, Now);
        Assert.NotNull(patch);
        Assert.Equal(2L, (long)patch["status"]!["observedGeneration"]!);
        var condition = (JsonObject)patch["status"]!["conditions"]![0]!;
        Assert.Equal("Ready", (string?)condition["type"]);
        Assert.Equal("True", (string?)condition["status"]);
        Assert.Equal("Valid", (string?)condition["reason"]);
    }

    [Fact]
    public void Reconciling_the_object_after_its_own_status_write_patches_nothing()
    {
        var first = AcknowledgingReconciler.BuildStatusPatch(Object(2), Seen, Now)!;
        var written = Object(2, (JsonObject)first["status"]!.DeepClone());
        Assert.Null(AcknowledgingReconciler.BuildStatusPatch(written, Seen, Now.AddMinutes(1)));
    }

    [Fact]
    public void A_new_generation_is_acknowledged_again_without_moving_the_transition_time()
    {
        var first = AcknowledgingReconciler.BuildStatusPatch(Object(1), Seen, Now)!;
        var patch = AcknowledgingReconciler.BuildStatusPatch(Object(2, (JsonObject)first["status"]!.DeepClone()), Seen, Now.AddMinutes(1));
        Assert.NotNull(patch);
        Assert.Equal(2L, (long)patch["status"]!["observedGeneration"]!);
        Assert.Equal("2026-01-01T00:00:00Z", (string?)patch["status"]!["conditions"]![0]!["lastTransitionTime"]);
    }

    [Fact]
    public void An_object_the_shared_rules_reject_is_not_ready_and_the_message_names_the_field()
    {
        var sink = new JsonObject
        {
            ["apiVersion"] = "kollect.dev/v1alpha1",
            ["kind"] = "KollectEventSink",
            ["metadata"] = new JsonObject { ["name"] = "orders", ["namespace"] = "team-a", ["generation"] = 1 },
            ["spec"] = new JsonObject
            {
                ["type"] = "nats",
                ["nats"] = new JsonObject { ["url"] = "nats://nats.example.com:4222", ["subject"] = "inventory.>" },
            },
        };
        var judgement = AcknowledgingReconciler.Judge(Validator, Resource("KollectEventSink", "kollecteventsinks"), sink);

        Assert.Equal("False", judgement.Status);
        Assert.Equal(AcknowledgingReconciler.InvalidReason, judgement.Reason);
        Assert.Contains("spec.nats.subject", judgement.Message);
    }

    [Fact]
    public void A_profile_reading_secret_data_without_the_annotation_is_not_ready()
    {
        var profile = Object(1);
        profile["spec"] = new JsonObject
        {
            ["targetGVK"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Secret" },
            ["attributes"] = new JsonArray(new JsonObject { ["name"] = "token", ["path"] = "cel:object.data.token" }),
        };

        var judgement = AcknowledgingReconciler.Judge(Validator, Resource("KollectProfile", "kollectprofiles"), profile);

        Assert.Equal(("False", AcknowledgingReconciler.InvalidReason), (judgement.Status, judgement.Reason));
        Assert.Contains("spec.attributes[0].path: Forbidden: reads Secret data ('cel:object.data.token'", judgement.Message, StringComparison.Ordinal);

        profile["metadata"]!["annotations"] = new JsonObject { ["kollect.dev/allow-secret-extraction"] = "true" };
        Assert.Equal("True", AcknowledgingReconciler.Judge(Validator, Resource("KollectProfile", "kollectprofiles"), profile).Status);
    }

    [Fact]
    public void A_valid_object_is_ready()
    {
        var profile = Object(1);
        profile["spec"] = new JsonObject
        {
            ["targetGVK"] = new JsonObject { ["group"] = "apps", ["version"] = "v1", ["kind"] = "Deployment" },
            ["attributes"] = new JsonArray(new JsonObject { ["name"] = "replicas", ["path"] = ".spec.replicas" }),
        };

        var judgement = AcknowledgingReconciler.Judge(Validator, Resource("KollectProfile", "kollectprofiles"), profile);

        Assert.Equal("True", judgement.Status);
        Assert.Equal(AcknowledgingReconciler.Reason, judgement.Reason);
    }

    private static SemanticValidator Validator { get; } =
        new(SemanticRuleSet.Standard(EndpointPolicy.PublicOnly), SemanticValidationOptions.Default);

    private static KubeResource Resource(string kind, string plural) => new("kollect.dev", "v1alpha1", plural, kind, Namespaced: true);
}
