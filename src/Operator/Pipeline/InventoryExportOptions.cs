using Kollect.Operator.Export;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// Operator-wide settings of <see cref="InventoryExporter"/>, with their defaults in one place
/// (SPEC §2.1–§2.3): the cluster label for sinks that set none (<c>--cluster-name</c>), the cap on
/// one export message, and the namespace where a cluster inventory looks for sinks when neither
/// the ref nor <c>spec.sinkNamespace</c> names one.
/// </summary>
public sealed record InventoryExportOptions
{
    /// <summary>The namespace of sinks referenced by cluster inventories by default (SPEC §2.3).</summary>
    public const string DefaultClusterSinkNamespace = "kollect-system";

    /// <summary>Written into envelopes whose sink has no <c>spec.cluster</c>; empty means unset.</summary>
    public string ClusterName { get; init; } = "";

    /// <summary>The operator's cap on one message (SPEC §2.2); refs and inventories may only lower it.</summary>
    public long OperatorMaxExportBytes { get; init; } = ExportLimits.DefaultOperatorCap;

    /// <summary>Where a cluster inventory's sink refs resolve without <c>namespace</c> or <c>spec.sinkNamespace</c>.</summary>
    public string DefaultSinkNamespace { get; init; } = DefaultClusterSinkNamespace;
}
