using System.Text.RegularExpressions;

namespace Kollect.Tests.Unit.Repository;

/// <summary>
/// A clone of this repository alone must pass its tests (issue #17): nothing under <c>src/</c>,
/// <c>tests/</c>, <c>scripts/</c> or <c>.ci/</c> may read the folder beside the repository.
/// <c>scripts/vendor-compat.py</c> is the one exception: it refreshes <c>tests/compat/</c> from it.
/// </summary>
public sealed partial class SelfContainedTests
{
    private static readonly string[] Roots = ["src", "tests", "scripts", ".ci"];
    private static readonly string[] Extensions = [".cs", ".csproj", ".props", ".targets", ".sh", ".py", ""];

    [Fact]
    public void Nothing_reads_the_shared_folder_beside_the_repository()
    {
        var root = Crds.CrdTestFiles.RepositoryRoot;
        var self = Path.Combine("tests", "unit", "Repository", "SelfContainedTests.cs");
        var offenders = Roots
            .Select(r => Path.Combine(root, r))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => !IsBuildOutput(f) && Extensions.Contains(Path.GetExtension(f)))
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => f != self && f != Path.Combine("scripts", "vendor-compat.py"))
            .SelectMany(f => File.ReadLines(Path.Combine(root, f)).Select((line, i) => (f, i, line)))
            .Where(x => SharedReference().IsMatch(x.line))
            .Select(x => $"{x.f}:{x.i + 1}: {x.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "These lines read ../shared; use tests/compat instead:\n" + string.Join('\n', offenders));
    }

    private static bool IsBuildOutput(string path) =>
        path.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or "artifacts" or "__pycache__");

    // "../shared" in a path, or Path.Combine(…, "..", "shared", …).
    [GeneratedRegex("""\.\./shared\b|"\.\."\s*,\s*"shared"|/shared/compat""")]
    private static partial Regex SharedReference();
}
