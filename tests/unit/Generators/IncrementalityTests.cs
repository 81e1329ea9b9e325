using Kollect.Generators;
using Microsoft.CodeAnalysis;

namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// The generator must do no work when nothing changed, and only the edited CRD's work when one
/// changes (CONVENTIONS §6); otherwise every keystroke in the IDE re-emits the whole API.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly IncrementalStepRunReason[] NoWork = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void A_second_run_without_changes_is_served_from_the_cache()
    {
        var compilation = GeneratorHarness.EmptyCompilation();
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.RealCrds()).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.Clone());

        var result = driver.GetRunResult().Results.Single();
        Assert.NotEmpty(result.TrackedSteps);
        foreach (var (name, steps) in result.TrackedSteps.Concat(result.TrackedOutputSteps))
        {
            foreach (var output in steps.SelectMany(step => step.Outputs))
            {
                Assert.True(NoWork.Contains(output.Reason), $"step {name} ran again ({output.Reason}) although no input changed");
            }
        }
    }

    [Fact]
    public void Editing_one_crd_regenerates_only_that_crd()
    {
        var crds = GeneratorHarness.RealCrds().ToList();
        var edited = crds.Single(c => c.Path.EndsWith("kollect.dev_kollectinventories.yaml", StringComparison.Ordinal));
        var compilation = GeneratorHarness.EmptyCompilation();
        var driver = GeneratorHarness.CreateDriver(crds).RunGenerators(compilation);
        var before = driver.GetRunResult().Results.Single().GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());

        var marker = "openAPIV3Schema:\n        description: ";
        Assert.Contains(marker, edited.Text);
        var changed = new InMemoryAdditionalText(edited.Path, edited.Text.Replace(marker, marker + "Edited. ", StringComparison.Ordinal));
        driver = driver.ReplaceAdditionalText(edited, changed).RunGenerators(compilation.Clone());

        var result = driver.GetRunResult().Results.Single();
        var parsed = result.TrackedSteps[KollectApiGenerator.Steps.ParsedCrds].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(crds.Count, parsed.Count);
        Assert.Single(parsed, output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal(crds.Count - 1, parsed.Count(output => output.Reason == IncrementalStepRunReason.Cached));
        foreach (var output in result.TrackedSteps[KollectApiGenerator.Steps.AllKindEntries].SelectMany(s => s.Outputs))
        {
            Assert.True(NoWork.Contains(output.Reason), $"the KollectKinds listing was recomputed ({output.Reason}) for a description change");
        }

        var after = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var regenerated = after.Where(pair => before[pair.Key] != pair.Value).Select(pair => pair.Key).ToList();
        Assert.Equal(["kollect.dev.v1alpha1.KollectInventory.g.cs"], regenerated);
    }

    [Fact]
    public void A_comment_only_edit_changes_no_output()
    {
        var crds = GeneratorHarness.RealCrds().ToList();
        var edited = crds[0];
        var compilation = GeneratorHarness.EmptyCompilation();
        var driver = GeneratorHarness.CreateDriver(crds).RunGenerators(compilation);

        var changed = new InMemoryAdditionalText(edited.Path, "# a new comment\n" + edited.Text);
        driver = driver.ReplaceAdditionalText(edited, changed).RunGenerators(compilation.Clone());

        var result = driver.GetRunResult().Results.Single();
        var parsed = result.TrackedSteps[KollectApiGenerator.Steps.ParsedCrds].SelectMany(s => s.Outputs).ToList();
        Assert.Single(parsed, output => output.Reason == IncrementalStepRunReason.Unchanged);
        Assert.DoesNotContain(parsed, output => output.Reason == IncrementalStepRunReason.Modified);
    }
}
