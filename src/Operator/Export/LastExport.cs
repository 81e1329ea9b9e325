namespace Kollect.Operator.Export;

/// <summary>
/// What was last exported to one (inventory, sink ref), as persisted in
/// <c>status.sinkExports[]</c> (<c>lastChecksum</c>, <c>lastGeneration</c>, <c>lastExportTime</c>).
/// <see cref="Checksum"/> is the <see cref="ExportPlan.ContentChecksum"/> (all rows, whatever the split).
/// </summary>
public sealed record LastExport(string Checksum, long Generation, DateTimeOffset Time);
