namespace Kollect.Tests.Unit.Crds;

/// <summary>
/// Every place where our <c>.spec</c> schemas deliberately differ from the original's golden schemas.
/// Keep it short: each entry must be called for by SPEC §2, and an entry that no longer matches a real
/// difference fails the test (so the list cannot rot).
/// </summary>
public static class GoldenAllowList
{
    private const string StringOrObjectSinkRef =
        "SPEC §2.2: sink ref items are a plain sink name or an object; the golden object-only item is replaced by " +
        "x-kubernetes-preserve-unknown-fields and our own validation";

    public static IReadOnlyList<AllowedDifference> Entries { get; } =
    [
        new("KollectEventSink", "/properties/connectionTest", "default", SchemaChange.Added,
            "SPEC §2.1: connectionTest defaults to true, declared as a CRD default"),
        new("KollectEventSink", "/properties/kafka", "required", SchemaChange.Changed,
            "SPEC §2.1: kafka.brokers is optional and falls back to spec.endpoint; only topic stays required"),

        new("KollectInventory", "/properties/eventSinkRefs/items", AllowedDifference.AnyKeyword, SchemaChange.Replaced, StringOrObjectSinkRef),
        new("KollectInventory", "/properties/databaseSinkRefs/items", AllowedDifference.AnyKeyword, SchemaChange.Replaced, StringOrObjectSinkRef),
        new("KollectInventory", "/properties/snapshotSinkRefs/items", AllowedDifference.AnyKeyword, SchemaChange.Replaced, StringOrObjectSinkRef),

        new("KollectClusterInventory", "/properties/eventSinkRefs/items", AllowedDifference.AnyKeyword, SchemaChange.Replaced, StringOrObjectSinkRef),
        new("KollectClusterInventory", "/properties/databaseSinkRefs/items", AllowedDifference.AnyKeyword, SchemaChange.Replaced, StringOrObjectSinkRef),
        new("KollectClusterInventory", "/properties/snapshotSinkRefs/items", AllowedDifference.AnyKeyword, SchemaChange.Replaced, StringOrObjectSinkRef),
        new("KollectClusterInventory", "", "required", SchemaChange.Added,
            "SPEC §2.3: namespaceSelector is required on cluster inventories"),

        new("KollectClusterTarget", "", "required", SchemaChange.Changed,
            "SPEC §2.4: a cluster target needs a namespaceSelector in addition to profileRef"),
    ];
}
