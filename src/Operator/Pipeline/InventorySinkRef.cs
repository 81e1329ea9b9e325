namespace Kollect.Operator.Pipeline;

/// <summary>
/// One event sink ref of an inventory after defaulting (SPEC §2.2, §2.3): the sink's namespace
/// (the inventory's own, or for cluster inventories ref <c>namespace</c> ?? <c>spec.sinkNamespace</c>
/// ?? the operator default), its status entry name, and the ref's own overrides.
/// </summary>
internal sealed record InventorySinkRef(string Namespace, string Name, string StatusName, TimeSpan? Interval, long? MaxExportBytes)
{
    public string Sink => $"{Namespace}/{Name}";
}
