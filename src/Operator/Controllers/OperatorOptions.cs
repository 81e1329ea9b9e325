using Kollect.Operator.Pipeline;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Controllers;

/// <summary>
/// What the operator's controllers need of <c>kollect run</c>'s settings. Bound from
/// <c>Cli.RunOptions</c>, which keeps every default and flag in one place (CONVENTIONS §13), so
/// this layer does not depend on the command line.
/// </summary>
public sealed record OperatorOptions
{
    /// <summary>Name of this cluster in exported envelopes.</summary>
    public required string ClusterName { get; init; }

    /// <summary>Which sink endpoints may be dialled (SPEC §6.5).</summary>
    public required EndpointPolicy EndpointPolicy { get; init; }

    /// <summary>Whether a sink may reference a Secret in another namespace (SPEC §6.5).</summary>
    public required bool AllowCrossNamespaceSecrets { get; init; }

    /// <summary>Cap on one export message in bytes (SPEC §2.2).</summary>
    public required long MaxExportBytes { get; init; }

    /// <summary>How long in-flight reconciles may run after SIGTERM before they are cancelled.</summary>
    public required TimeSpan ShutdownTimeout { get; init; }

    /// <summary>Per sink ref: publish timeout and circuit (issue #13).</summary>
    public required SinkReliabilityOptions SinkReliability { get; init; }
}
