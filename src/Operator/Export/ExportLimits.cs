namespace Kollect.Operator.Export;

/// <summary>Resolution of the per-ref size limit and debounce interval (SPEC §2.2, §4).</summary>
public static class ExportLimits
{
    /// <summary>The operator's default cap on one export message (SPEC §2.2).</summary>
    public const long DefaultOperatorCap = 1_572_864;

    /// <summary>The default debounce interval (SPEC §2.2, §4).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// min(ref maxExportBytes ?? inventory maxExportBytes ?? operator cap, the sink's real
    /// message limit for the event envelope). The sink limit is null when unknown (not yet connected).
    /// </summary>
    public static long ResolveMaxBytes(long? refMaxExportBytes, long? inventoryMaxExportBytes, long operatorCap, long? sinkMessageLimit)
    {
        var configured = refMaxExportBytes ?? inventoryMaxExportBytes ?? operatorCap;
        return sinkMessageLimit is { } sink ? Math.Min(configured, sink) : configured;
    }

    /// <summary>ref exportMinInterval ?? sink exportMinInterval ?? inventory exportMinInterval ?? 30 s.</summary>
    public static TimeSpan ResolveInterval(TimeSpan? refInterval, TimeSpan? sinkInterval, TimeSpan? inventoryInterval) =>
        refInterval ?? sinkInterval ?? inventoryInterval ?? DefaultInterval;
}
