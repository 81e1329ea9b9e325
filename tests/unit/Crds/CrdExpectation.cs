namespace Kollect.Tests.Unit.Crds;

/// <summary>One row of SPEC §2's table of kinds: what the CRD for that kind must declare.</summary>
public sealed record CrdExpectation(string Kind, string Plural, string Scope, string ShortName)
{
    /// <summary>SPEC §2, in the table's order.</summary>
    public static IReadOnlyList<CrdExpectation> All { get; } =
    [
        new("KollectEventSink", "kollecteventsinks", "Namespaced", "kevt"),
        new("KollectInventory", "kollectinventories", "Namespaced", "kinv"),
        new("KollectClusterInventory", "kollectclusterinventories", "Cluster", "kcinv"),
        new("KollectProfile", "kollectprofiles", "Namespaced", "kprof"),
        new("KollectTarget", "kollecttargets", "Namespaced", "ktgt"),
        new("KollectClusterTarget", "kollectclustertargets", "Cluster", "kctgt"),
        new("KollectConnectionTest", "kollectconnectiontests", "Namespaced", "kconntest"),
        new("KollectDatabaseSink", "kollectdatabasesinks", "Namespaced", "kdbs"),
    ];

    public static TheoryData<string> Kinds()
    {
        var data = new TheoryData<string>();
        foreach (var expectation in All)
        {
            data.Add(expectation.Kind);
        }

        return data;
    }

    public static CrdExpectation For(string kind) => All.Single(e => e.Kind == kind);

    public CrdDocument Load() => new(CrdTestFiles.CrdPath(Plural), YamlJson.LoadObject(CrdTestFiles.CrdPath(Plural)));
}
