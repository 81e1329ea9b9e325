namespace Kollect.Operator.Export;

/// <summary>Resolution of the per-ref size limit and debounce interval (SPEC §2.2, §4).</summary>
public static class ExportLimits
{
    /// <summary>The operator's default cap on one export message (SPEC §2.2).</summary>
    public const long DefaultOperatorCap = 1_572_864;

    /// <summary>The default debounce interval (SPEC §2.2, §4).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The limit on one export envelope: ref maxExportBytes ?? inventory maxExportBytes ?? operator
    /// cap (validation keeps both values within the cap). The sink's real message limit applies
    /// to the whole event envelope and is passed to <see cref="ExportPartitioner.Plan"/> separately.
    /// </summary>
    public static long ResolveMaxExportBytes(long? refMaxExportBytes, long? inventoryMaxExportBytes, long operatorCap) =>
        refMaxExportBytes ?? inventoryMaxExportBytes ?? operatorCap;

    /// <summary>ref exportMinInterval ?? sink exportMinInterval ?? inventory exportMinInterval ?? 30 s.</summary>
    public static TimeSpan ResolveInterval(TimeSpan? refInterval, TimeSpan? sinkInterval, TimeSpan? inventoryInterval) =>
        refInterval ?? sinkInterval ?? inventoryInterval ?? DefaultInterval;
}
