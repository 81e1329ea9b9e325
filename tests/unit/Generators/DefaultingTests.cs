using System.Text.Json.Nodes;

namespace Kollect.Tests.Unit.Generators;

/// <summary>Generated defaulting fills absent fields of present objects, as kube-apiserver does.</summary>
public sealed class DefaultingTests
{
    private static JsonObject Defaulted(string yaml)
    {
        var manifest = ManifestTestSupport.Parse(yaml);
        ManifestTestSupport.KindOf(manifest).ApplyDefaults(manifest);
        return manifest;
    }

    [Fact]
    public void Connection_test_defaults_to_true_but_an_explicit_false_stays()
    {
        var absent = Defaulted("apiVersion: kollect.dev/v1alpha1\nkind: KollectEventSink\nmetadata: {name: s}\nspec:\n  type: nats\n");
        var explicitFalse = Defaulted("apiVersion: kollect.dev/v1alpha1\nkind: KollectEventSink\nmetadata: {name: s}\nspec:\n  type: nats\n  connectionTest: false\n");

        Assert.True((bool)absent["spec"]!["connectionTest"]!);
        Assert.False((bool)explicitFalse["spec"]!["connectionTest"]!);
    }

    [Fact]
    public void Export_min_interval_defaults_to_30s_and_a_null_counts_as_absent()
    {
        var inventory = Defaulted("apiVersion: kollect.dev/v1alpha1\nkind: KollectInventory\nmetadata: {name: i}\nspec:\n  exportMinInterval: null\n");

        Assert.Equal("30s", (string?)inventory["spec"]!["exportMinInterval"]);
    }

    [Fact]
    public void Absent_objects_are_not_created()
    {
        var inventory = Defaulted("apiVersion: kollect.dev/v1alpha1\nkind: KollectInventory\nmetadata: {name: i}\n");

        Assert.False(inventory.ContainsKey("spec"));
    }

    [Fact]
    public void Nested_objects_get_their_defaults_with_the_schema_types()
    {
        var profile = Defaulted("apiVersion: kollect.dev/v1alpha1\nkind: KollectProfile\nmetadata: {name: p}\nspec:\n  targetGVK: {kind: Pod}\n  export: {}\n");
        var test = Defaulted("apiVersion: kollect.dev/v1alpha1\nkind: KollectConnectionTest\nmetadata: {name: t}\nspec:\n  sinkRef: {eventSinkRef: s}\n");

        Assert.Equal("""{"as":"resource","include":"SpecAndStatus","mode":"Attributes"}""", profile["spec"]!["export"]!.ToJsonString());
        Assert.Equal(300, (int)test["spec"]!["ttlSecondsAfterFinished"]!);
    }

    [Fact]
    public void Defaulted_manifests_still_validate()
    {
        var sink = Defaulted("apiVersion: kollect.dev/v1alpha1\nkind: KollectEventSink\nmetadata: {name: s}\nspec:\n  type: nats\n  nats: {subject: inventory}\n  layout: {}\n");

        Assert.Equal("document", (string?)sink["spec"]!["layout"]!["mode"]);
        Assert.Empty(ManifestTestSupport.Validate(sink));
    }
}
