namespace Kollect.Tests.Unit.Crds;

/// <summary>Locates the repository's <c>crds/</c> folder and the vendored upstream golden schemas.</summary>
internal static class CrdTestFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string CrdDirectory => Path.Combine(RepositoryRoot, "crds");

    /// <summary>
    /// The original project's <c>.spec</c> schemas (the compatibility contract, SPEC §2), vendored in
    /// <c>tests/compat/upstream</c> without their prose by <c>scripts/vendor-compat.py</c>.
    /// </summary>
    public static string GoldenDirectory => Path.Combine(RepositoryRoot, "tests", "compat", "upstream", "test", "schema", "golden");

    public static string SamplesDirectory => Path.GetFullPath(Path.Combine(GoldenDirectory, "..", "..", "..", "config", "samples"));

    public static string CrdPath(string plural) => Path.Combine(CrdDirectory, $"kollect.dev_{plural}.yaml");

    public static string GoldenPath(string kind) => Path.Combine(GoldenDirectory, $"{kind.ToLowerInvariant()}.spec.openapi.yaml");

    /// <summary>SHA-256 hashes of the golden schema's descriptions, normalised (lower case, whitespace collapsed).</summary>
    public static string GoldenDescriptionHashesPath(string kind) => Path.Combine(GoldenDirectory, $"{kind.ToLowerInvariant()}.description-hashes.txt");

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
