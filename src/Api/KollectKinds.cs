namespace Kollect.Api;

/// <summary>
/// The kinds of the Kollect API. The list is generated from <c>crds/*.yaml</c> (SPEC §2), so a new
/// CRD shows up here after a rebuild.
/// </summary>
public static partial class KollectKinds
{
    /// <summary>Every kind, ordered by API version then kind (ordinal).</summary>
    public static IReadOnlyList<KollectKind> All { get; } = CreateAll();

    /// <summary>Finds the kind with this <c>apiVersion</c> and <c>kind</c>, or null when there is none.</summary>
    public static KollectKind? Find(string apiVersion, string kind)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ApiVersion, apiVersion, StringComparison.Ordinal)
                && string.Equals(candidate.Kind, kind, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }

    private static partial KollectKind[] CreateAll();
}
