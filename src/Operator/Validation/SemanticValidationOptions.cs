namespace Kollect.Operator.Validation;

/// <summary>Operator settings that semantic validation depends on.</summary>
public sealed record SemanticValidationOptions
{
    /// <summary>The operator's export size cap in bytes (SPEC §2.2; <c>--max-export-bytes</c>).</summary>
    public const long DefaultMaxExportBytes = 1_572_864;

    /// <summary>Upper bound for <c>maxExportBytes</c> on inventories and their sink refs.</summary>
    public long MaxExportBytes { get; init; } = DefaultMaxExportBytes;

    public static SemanticValidationOptions Default { get; } = new();
}
