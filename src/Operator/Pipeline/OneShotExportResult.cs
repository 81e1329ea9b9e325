namespace Kollect.Operator.Pipeline;

/// <summary>
/// What <see cref="OneShotExport"/> did: configuration problems (then nothing was exported),
/// warnings worth a line (targets that collect nothing, unsupported cluster inventory fields),
/// and each inventory's export result.
/// </summary>
public sealed record OneShotExportResult(
    IReadOnlyList<string> ConfigurationProblems,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<(string Inventory, InventoryExportResult Result)> Inventories)
{
    public static OneShotExportResult BadConfiguration(IReadOnlyList<string> problems) => new(problems, [], []);

    /// <summary>True when some event sink ref was not exported (failed; unsupported refs and suspended inventories do not count).</summary>
    public bool AnyFailed => Inventories.Any(i => i.Result.Sinks.Any(s => s.State == SinkExportState.Failed));
}
