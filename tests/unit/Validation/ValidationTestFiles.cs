namespace Kollect.Tests.Unit.Validation;

/// <summary>Locates the invalid-manifest cases, the upstream sample manifests and the demo configuration.</summary>
internal static class ValidationTestFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>One YAML file per invalid manifest; see <see cref="InvalidManifestCase"/> for the header format.</summary>
    public static string CasesDirectory => Path.Combine(RepositoryRoot, "tests", "unit", "Validation", "Cases");

    /// <summary>The first-run configuration of <c>scripts/demo.sh</c>: <c>kollect</c> (for <c>--config</c>) and <c>objects</c> (for <c>--objects</c>).</summary>
    public static string DemoDirectory => Path.Combine(RepositoryRoot, "config", "samples", "demo");

    /// <summary>The original project's samples (<c>../shared/compat/upstream/config/samples</c>, or a copy vendored at <c>compat/upstream</c>).</summary>
    public static string SamplesDirectory
    {
        get
        {
            string[] candidates =
            [
                Path.Combine(RepositoryRoot, "compat", "upstream", "config", "samples"),
                Path.Combine(RepositoryRoot, "..", "shared", "compat", "upstream", "config", "samples"),
            ];
            return candidates.Select(Path.GetFullPath).FirstOrDefault(Directory.Exists)
                ?? throw new DirectoryNotFoundException("The upstream samples were not found; looked in " + string.Join(" and ", candidates.Select(Path.GetFullPath)) + ".");
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kollect.Aot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Kollect.Aot.sln above {AppContext.BaseDirectory}.");
    }
}
