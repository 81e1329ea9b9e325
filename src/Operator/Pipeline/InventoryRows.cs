using Kollect.Operator.Export;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// The rows an inventory exports, in canonical order, and the problems found while selecting them
/// (for example a cluster inventory's unsupported <c>spec.profileRef</c>), each naming the field.
/// </summary>
public sealed record InventoryRows(IReadOnlyList<ItemRow> Rows, IReadOnlyList<string> Problems);
