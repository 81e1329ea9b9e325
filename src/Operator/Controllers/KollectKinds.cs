using Kollect.Operator.Kube;

namespace Kollect.Operator.Controllers;

/// <summary>
/// The seven <c>kollect.dev/v1alpha1</c> kinds the operator watches (SPEC §2). Plurals and scope
/// are resolved through discovery at start; the expected plurals are listed for messages and tests.
/// </summary>
public static class KollectKinds
{
    public const string Group = "kollect.dev";
    public const string Version = "v1alpha1";

    public static readonly GroupVersionKind EventSink = new(Group, Version, "KollectEventSink");
    public static readonly GroupVersionKind Inventory = new(Group, Version, "KollectInventory");
    public static readonly GroupVersionKind ClusterInventory = new(Group, Version, "KollectClusterInventory");
    public static readonly GroupVersionKind Profile = new(Group, Version, "KollectProfile");
    public static readonly GroupVersionKind Target = new(Group, Version, "KollectTarget");
    public static readonly GroupVersionKind ClusterTarget = new(Group, Version, "KollectClusterTarget");
    public static readonly GroupVersionKind ConnectionTest = new(Group, Version, "KollectConnectionTest");

    /// <summary>Kind → plural as the CRDs in <c>crds/</c> declare them.</summary>
    public static readonly IReadOnlyList<(GroupVersionKind Kind, string Plural)> All =
    [
        (EventSink, "kollecteventsinks"),
        (Inventory, "kollectinventories"),
        (ClusterInventory, "kollectclusterinventories"),
        (Profile, "kollectprofiles"),
        (Target, "kollecttargets"),
        (ClusterTarget, "kollectclustertargets"),
        (ConnectionTest, "kollectconnectiontests"),
    ];
}
