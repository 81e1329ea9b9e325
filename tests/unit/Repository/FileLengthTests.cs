namespace Kollect.Tests.Unit.Repository;

/// <summary>
/// A source file of <c>src/</c> over 400 lines says in a comment at its top why it stays whole
/// (#15, CONVENTIONS): "<c>// Over 400 lines: …</c>" within its first five lines.
/// </summary>
public sealed class FileLengthTests
{
    private const int Limit = 400;

    [Fact]
    public void Long_source_files_say_why_at_the_top()
    {
        var root = Crds.CrdTestFiles.RepositoryRoot;
        var tooLong = Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Select(f => (Path: Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), Lines: File.ReadAllLines(f)))
            .Where(f => f.Lines.Length > Limit && !f.Lines.Take(5).Any(l => l.TrimStart().StartsWith("// Over 400 lines:", StringComparison.Ordinal)))
            .Select(f => f.Path)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(tooLong.Count == 0,
            $"over {Limit} lines without a \"// Over 400 lines: <why>\" comment in the first five lines (split the file, or say why it stays whole): {string.Join(", ", tooLong)}");
    }
}
