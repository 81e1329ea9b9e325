namespace Kollect.Tests.Unit.Crds;

/// <summary>Locates the repository's <c>crds/</c> folder and the upstream golden schemas.</summary>
internal static class CrdTestFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string CrdDirectory => Path.Combine(RepositoryRoot, "crds");

    /// <summary>
    /// The original project's <c>.spec</c> schemas (the compatibility contract, SPEC §2). They live in
    /// the shared folder next to the repository (<c>../shared/compat/upstream</c>); a copy vendored
    /// at <c>compat/upstream</c> inside the repository takes precedence.
    /// </summary>
    public static string GoldenDirectory
    {
        get
        {
            string[] candidates =
            [
                Path.Combine(RepositoryRoot, "compat", "upstream", "test", "schema", "golden"),
                Path.Combine(RepositoryRoot, "..", "shared", "compat", "upstream", "test", "schema", "golden"),
            ];
            return candidates.FirstOrDefault(Directory.Exists)
                ?? throw new DirectoryNotFoundException(
                    "The upstream golden schemas were not found; looked in " + string.Join(" and ", candidates.Select(Path.GetFullPath)) + ".");
        }
    }

    public static string SamplesDirectory => Path.GetFullPath(Path.Combine(GoldenDirectory, "..", "..", "..", "config", "samples"));

    public static string CrdPath(string plural) => Path.Combine(CrdDirectory, $"kollect.dev_{plural}.yaml");

    public static string GoldenPath(string kind) => Path.Combine(GoldenDirectory, $"{kind.ToLowerInvariant()}.spec.openapi.yaml");

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
