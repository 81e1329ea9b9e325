using Kollect.Generators;
using Kollect.Tests.Unit.Crds;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kollect.Tests.Unit.Generators;

/// <summary>Runs the Kollect API generator in-process through Roslyn's driver.</summary>
internal static class GeneratorHarness
{
    public static string TestCrdDirectory => Path.Combine(CrdTestFiles.RepositoryRoot, "tests", "unit", "Generators", "TestData", "crds");

    public static string SnapshotDirectory => Path.Combine(CrdTestFiles.RepositoryRoot, "tests", "unit", "Generators", "Snapshots");

    public static CSharpCompilation EmptyCompilation() => CSharpCompilation.Create(
        "GeneratorTest",
        references: [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)]);

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> texts) => CSharpGeneratorDriver.Create(
        [new KollectApiGenerator().AsSourceGenerator()],
        additionalTexts: texts,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRunResult Run(params AdditionalText[] texts)
    {
        var driver = CreateDriver(texts).RunGenerators(EmptyCompilation());
        return driver.GetRunResult().Results.Single();
    }

    /// <summary>The file as the generator sees it under a <c>crds/</c> folder.</summary>
    public static InMemoryAdditionalText Crd(string fileName, string yaml) => new(Path.Combine("/repo", "crds", fileName), yaml);

    public static InMemoryAdditionalText FromDisk(string path) => new(path, File.ReadAllText(path));

    public static IEnumerable<InMemoryAdditionalText> RealCrds() =>
        Directory.GetFiles(CrdTestFiles.CrdDirectory, "*.yaml").Order(StringComparer.Ordinal).Select(FromDisk);
}
