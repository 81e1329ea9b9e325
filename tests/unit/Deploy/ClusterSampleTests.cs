using Kollect.Operator.Manifests;
using Kollect.Operator.Validation;
using static Kollect.Tests.Unit.Deploy.RenderedConfig;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Validation.Rules;

namespace Kollect.Tests.Unit.Deploy;

/// <summary>
/// config/samples, the README's first inventory on a cluster: it renders with kustomize, and every
/// object is valid as the operator would default and check it, with no --allow-* flag.
/// </summary>
public sealed class ClusterSampleTests
{
    [Fact]
    public void Samples_render_and_are_valid_without_any_allow_flag()
    {
        var rendered = Render("config/samples");
        var validator = new ManifestValidator(new SemanticValidator(SemanticRuleSet.Standard(EndpointPolicy.PublicOnly), SemanticValidationOptions.Default));
        var read = ManifestReader.Read([Path.Combine(ConfigDirectory, "samples", "cluster")]);
        Assert.Empty(read.Errors);

        var results = read.Documents.Select(validator.Validate).ToList();

        Assert.All(results, r => Assert.True(r.IsValid && !r.Skipped, $"{r.Document}: {string.Join("; ", r.Errors)}"));
        Assert.Equal(
            ["KollectClusterInventory deployments", "KollectClusterTarget deployments", "KollectEventSink kollect-system/platform-nats", "KollectProfile kollect-system/deployments"],
            rendered.Select(o => Namespace(o) is { } ns ? $"{Kind(o)} {ns}/{Name(o)}" : $"{Kind(o)} {Name(o)}").Order(StringComparer.Ordinal));
        Assert.Equal(rendered.Count, results.Count);
    }
}
