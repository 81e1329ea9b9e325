namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// The generated code for a small fixed CRD, compared with the checked-in snapshots in
/// <c>Snapshots/</c>. Set <c>KOLLECT_UPDATE_SNAPSHOTS=1</c> to rewrite them after a deliberate change.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Generated_code_for_the_test_crd_matches_the_snapshots()
    {
        var crd = GeneratorHarness.FromDisk(Path.Combine(GeneratorHarness.TestCrdDirectory, "test.kollect.dev_widgets.yaml"));
        var result = GeneratorHarness.Run(crd);

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        var update = Environment.GetEnvironmentVariable("KOLLECT_UPDATE_SNAPSHOTS") == "1";
        var failures = new List<string>();
        var expectedFiles = new HashSet<string>(Directory.GetFiles(GeneratorHarness.SnapshotDirectory, "*.txt"), StringComparer.Ordinal);
        foreach (var source in result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            var path = Path.Combine(GeneratorHarness.SnapshotDirectory, source.HintName + ".txt");
            expectedFiles.Remove(path);
            var actual = source.SourceText.ToString();
            if (update)
            {
                File.WriteAllText(path, actual);
            }
            else if (!File.Exists(path))
            {
                failures.Add($"{path} does not exist; run the tests with KOLLECT_UPDATE_SNAPSHOTS=1 to create it.");
            }
            else if (File.ReadAllText(path) is var expected && expected != actual)
            {
                failures.Add(SnapshotDiff.Describe(source.HintName, expected, actual));
            }
        }

        failures.AddRange(expectedFiles.Select(path => $"{path} is no longer generated; delete it."));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var first = GeneratorHarness.Run(GeneratorHarness.RealCrds().ToArray());
        var second = GeneratorHarness.Run(GeneratorHarness.RealCrds().Reverse().ToArray());

        var firstTexts = first.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        var secondTexts = second.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Equal(firstTexts.Keys.Order(StringComparer.Ordinal), secondTexts.Keys.Order(StringComparer.Ordinal));
        foreach (var (hint, text) in firstTexts)
        {
            Assert.Equal(text, secondTexts[hint]);
        }

        Assert.Contains("kollect.dev.v1alpha1.KollectEventSink.g.cs", firstTexts.Keys);
    }
}
