using System.Reflection;
using Kollect.Tests.Unit.Crds;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Kollect.Tests.Unit.Generators;

/// <summary>
/// Compiles the code generated for the test CRD together with the hand-written sources of
/// src/Api, the way src/Api compiles the real CRDs, and loads the result.
/// </summary>
internal static class FixtureCompilation
{
    private static readonly Lazy<(Assembly? Assembly, IReadOnlyList<Diagnostic> Errors)> Compiled = new(Compile);

    public static IReadOnlyList<Diagnostic> Errors => Compiled.Value.Errors;

    public static ReflectedKollectApi Api => new(Compiled.Value.Assembly ?? throw new InvalidOperationException(
        "The fixture did not compile: " + string.Join(Environment.NewLine, Errors)));

    private static (Assembly?, IReadOnlyList<Diagnostic>) Compile()
    {
        var crd = GeneratorHarness.FromDisk(Path.Combine(GeneratorHarness.TestCrdDirectory, "test.kollect.dev_widgets.yaml"));
        var generated = GeneratorHarness.Run(crd).GeneratedSources.Select(s => s.SyntaxTree);
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var handWritten = Directory.GetFiles(Path.Combine(CrdTestFiles.RepositoryRoot, "src", "Api"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), options, path));
        var usings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq;",
            options);
        // The framework only: the test's own Kollect.Api.dll would define the same types again.
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == frameworkDirectory)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "Kollect.Api.WidgetFixture",
            generated.Select(tree => tree.WithRootAndOptions(tree.GetRoot(), options)).Concat(handWritten).Append(usings),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return emitted.Success ? (Assembly.Load(stream.ToArray()), errors) : (null, errors);
    }
}
