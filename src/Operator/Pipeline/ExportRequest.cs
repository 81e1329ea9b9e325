using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Pipeline;

/// <summary>What <c>kollect export</c> was asked to do (SPEC §8); see the command's help for each field.</summary>
public sealed record ExportRequest
{
    public IReadOnlyList<string> ConfigPaths { get; init; } = [];
    public IReadOnlyList<string> ObjectPaths { get; init; } = [];
    public string? Kubeconfig { get; init; }
    public string? Context { get; init; }

    /// <summary>A directory, <c>-</c> for standard output, or null to publish to the sinks.</summary>
    public string? Output { get; init; }

    public string ClusterName { get; init; } = "";
    public long MaxExportBytes { get; init; } = Export.ExportLimits.DefaultOperatorCap;
    public EndpointPolicy EndpointPolicy { get; init; } = EndpointPolicy.PublicOnly;
    public bool AllowCrossNamespaceSecrets { get; init; }
    public string Timeout { get; init; } = "2m";
}
