namespace Kollect.Operator.Validation;

/// <summary>The kinds semantic rules are written for (SPEC §2).</summary>
internal static class KollectKindNames
{
    public const string EventSink = "KollectEventSink";
    public const string Inventory = "KollectInventory";
    public const string ClusterInventory = "KollectClusterInventory";
    public const string Profile = "KollectProfile";
    public const string Target = "KollectTarget";
    public const string ClusterTarget = "KollectClusterTarget";
    public const string ConnectionTest = "KollectConnectionTest";
}
