using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Operator.Json;
using Kollect.Tests.Unit.Crds;

namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// The original project's sample manifests (compatibility contract, SPEC §2) pass the generated
/// validation and survive YAML → model → JSON → model unchanged.
/// </summary>
public sealed class SampleManifestTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(CrdTestFiles.SamplesDirectory, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(CrdTestFiles.SamplesDirectory, path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_validates(string sample)
    {
        var manifest = YamlJson.LoadObject(Path.Combine(CrdTestFiles.SamplesDirectory, sample));

        Assert.Empty(ManifestTestSupport.Validate(manifest).Select(e => e.ToString()));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_round_trips_through_the_model(string sample)
    {
        var manifest = YamlJson.LoadObject(Path.Combine(CrdTestFiles.SamplesDirectory, sample));
        var kind = ManifestTestSupport.KindOf(manifest);
        var typeInfo = KollectJsonContext.Default.GetTypeInfo(kind.ClrType)!;

        var model = JsonSerializer.Deserialize(manifest.ToJsonString(), typeInfo)!;
        var json = JsonSerializer.Serialize(model, typeInfo);
        var again = JsonSerializer.Serialize(JsonSerializer.Deserialize(json, typeInfo), typeInfo);

        Assert.IsType(kind.ClrType, model);
        Assert.Equal(json, again);
        Assert.Equal(manifest["spec"]!.AsObject().Count, JsonNode.Parse(json)!["spec"]!.AsObject().Count);
        Assert.Equal((string?)manifest["metadata"]!["name"], (string?)JsonNode.Parse(json)!["metadata"]!["name"]);
    }

    [Fact]
    public void String_and_object_sink_references_from_the_samples_survive_the_round_trip()
    {
        var manifest = YamlJson.LoadObject(Path.Combine(CrdTestFiles.SamplesDirectory, "advanced", "kollect_v1alpha1_kollectinventory.yaml"));
        var typeInfo = KollectJsonContext.Default.KollectInventory;

        var inventory = JsonSerializer.Deserialize(manifest.ToJsonString(), typeInfo)!;
        var written = JsonNode.Parse(JsonSerializer.Serialize(inventory, typeInfo))!;

        Assert.Equal("postgres-inventory-demo", (string?)written["spec"]!["databaseSinkRefs"]![0]);
        Assert.Equal("git-inventory-demo", (string?)written["spec"]!["snapshotSinkRefs"]![0]!["name"]);
        Assert.Equal(Duration.Parse("1h"), inventory.Spec!.SnapshotSinkRefs![0].ExportMinInterval);
        Assert.Equal(Duration.Parse("30s"), inventory.Spec.ExportMinInterval);
    }
}
