using Kollect.Operator.Export;

namespace Kollect.Operator.Collect;

/// <summary>
/// The rows a KollectClusterInventory exports (SPEC §2.3) and the problems found while selecting
/// them (for example an unsupported <c>spec.profileRef</c>), each naming the field.
/// </summary>
public sealed record ClusterInventoryRows(IReadOnlyList<ItemRow> Rows, IReadOnlyList<string> Problems);
