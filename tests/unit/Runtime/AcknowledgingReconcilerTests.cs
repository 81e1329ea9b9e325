using System.Text.Json.Nodes;
using Kollect.Operator.Controllers;

namespace Kollect.Tests.Unit.Runtime;

public sealed class AcknowledgingReconcilerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

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
        var patch = AcknowledgingReconciler.BuildStatusPatch(Object(2), "seen", Now);
        Assert.NotNull(patch);
        Assert.Equal(2L, (long)patch["status"]!["observedGeneration"]!);
        var condition = (JsonObject)patch["status"]!["conditions"]![0]!;
        Assert.Equal("Ready", (string?)condition["type"]);
        Assert.Equal("Unknown", (string?)condition["status"]);
        Assert.Equal("Accepted", (string?)condition["reason"]);
    }

    [Fact]
    public void Reconciling_the_object_after_its_own_status_write_patches_nothing()
    {
        var first = AcknowledgingReconciler.BuildStatusPatch(Object(2), "seen", Now)!;
        var written = Object(2, (JsonObject)first["status"]!.DeepClone());
        Assert.Null(AcknowledgingReconciler.BuildStatusPatch(written, "seen", Now.AddMinutes(1)));
    }

    [Fact]
    public void A_new_generation_is_acknowledged_again_without_moving_the_transition_time()
    {
        var first = AcknowledgingReconciler.BuildStatusPatch(Object(1), "seen", Now)!;
        var patch = AcknowledgingReconciler.BuildStatusPatch(Object(2, (JsonObject)first["status"]!.DeepClone()), "seen", Now.AddMinutes(1));
        Assert.NotNull(patch);
        Assert.Equal(2L, (long)patch["status"]!["observedGeneration"]!);
        Assert.Equal("2026-01-01T00:00:00Z", (string?)patch["status"]!["conditions"]![0]!["lastTransitionTime"]);
    }
}
