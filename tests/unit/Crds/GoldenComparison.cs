namespace Kollect.Tests.Unit.Crds;

/// <summary>The outcome of holding one kind's differences against the allow-list.</summary>
public sealed record GoldenComparison(IReadOnlyList<SchemaDifference> Unexpected, IReadOnlyList<AllowedDifference> Stale)
{
    public bool IsClean => Unexpected.Count == 0 && Stale.Count == 0;

    public static GoldenComparison Evaluate(string kind, IReadOnlyList<SchemaDifference> differences, IEnumerable<AllowedDifference> allowList)
    {
        var entries = allowList.Where(e => e.Kind == kind).ToList();
        var unexpected = differences.Where(d => !entries.Any(e => e.Matches(kind, d))).ToList();
        var stale = entries.Where(e => !differences.Any(d => e.Matches(kind, d))).ToList();
        return new(unexpected, stale);
    }

    public string Describe(string kind)
    {
        var lines = new List<string> { $"{kind}: the CRD's .spec schema does not match the golden schema." };
        if (Unexpected.Count > 0)
        {
            lines.Add($"Unexpected differences ({Unexpected.Count}); fix the CRD or, if SPEC §2 calls for it, add an allow-list entry:");
            lines.AddRange(Unexpected.Select(d => "  " + d));
        }

        if (Stale.Count > 0)
        {
            lines.Add($"Stale allow-list entries ({Stale.Count}) that match no difference any more; remove them:");
            lines.AddRange(Stale.Select(e => "  " + e));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
