using Kollect.Operator.Export;

namespace Kollect.Operator.Sinks.Common;

/// <summary>
/// One inventory's rows for a database sink (SPEC §2.5): the inventory (namespace <c>""</c> for a
/// cluster inventory), the cluster label, the export time written to <c>exported_at</c>, and the rows
/// in canonical order.
/// </summary>
public sealed record DatabaseExport(string InventoryNamespace, string InventoryName, string Cluster, DateTimeOffset ExportedAt, IReadOnlyList<ItemRow> Rows);
