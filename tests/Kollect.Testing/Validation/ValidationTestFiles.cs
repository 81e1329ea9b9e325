namespace Kollect.Testing.Validation;

/// <summary>Locates the invalid-manifest cases, the upstream sample manifests and the demo configuration.</summary>
public static class ValidationTestFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>One YAML file per invalid manifest; see <see cref="InvalidManifestCase"/> for the header format.</summary>
    public static string CasesDirectory => Path.Combine(RepositoryRoot, "tests", "unit", "Validation", "Cases");

    /// <summary>The first-run configuration of <c>scripts/demo.sh</c>: <c>kollect</c> (for <c>--config</c>) and <c>objects</c> (for <c>--objects</c>).</summary>
    public static string DemoDirectory => Path.Combine(RepositoryRoot, "config", "samples", "demo");

    /// <summary>The original project's samples, vendored in <c>tests/compat/upstream/config/samples</c> (<c>scripts/vendor-compat.py</c>).</summary>
    public static string SamplesDirectory => Path.Combine(RepositoryRoot, "tests", "compat", "upstream", "config", "samples");

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
