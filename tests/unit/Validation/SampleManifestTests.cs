using Kollect.Operator.Manifests;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation;
using Kollect.Operator.Validation.Rules;

namespace Kollect.Tests.Unit.Validation;

/// <summary>The original project's samples must validate (SPEC §2): no errors; the warnings are the ones listed here.</summary>
public sealed class SampleManifestTests
{
    [Fact]
    public void Every_upstream_sample_is_valid_with_only_the_expected_warnings()
    {
        var read = ManifestReader.Read([ValidationTestFiles.SamplesDirectory]);
        Assert.Empty(read.Errors);
        Assert.Equal(6, read.Documents.Count);
        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Standard(EndpointPolicy.PublicOnly), SemanticValidationOptions.Default));

        var results = read.Documents.Select(validator.Validate).ToList();

        Assert.All(results, r => Assert.True(r.IsValid, $"{r.Document}: {string.Join("; ", r.Errors)}"));
        Assert.All(results, r => Assert.NotNull(r.Kind));
        var warnings = results
            .SelectMany(r => r.Warnings.Select(w => $"{Path.GetFileName(r.Document.File)} {w.Path}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "kollect_v1alpha1_kollectinventory.yaml spec.snapshotSinkRefs",
            ],
            warnings);
    }

    [Fact]
    public void Validation_returns_the_object_with_crd_defaults_applied()
    {
        var read = ManifestReader.Read([Path.Combine(ValidationTestFiles.SamplesDirectory, "advanced", "kollect_v1alpha1_kollectinventory.yaml")]);
        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Standard(EndpointPolicy.PublicOnly), SemanticValidationOptions.Default));

        var result = validator.Validate(Assert.Single(read.Documents));

        Assert.Equal("KollectInventory", result.Kind?.Kind);
        Assert.Equal("30s", (string?)result.Defaulted?["spec"]?["exportMinInterval"]);
        Assert.Null(read.Documents[0].Content["spec"]?["connectionTest"]);
    }
}
