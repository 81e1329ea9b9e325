using Kollect.Operator.Controllers;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Hosting;

/// <summary>
/// What the generic host of <c>kollect run</c> needs of its settings: logging, probe addresses,
/// leader election and shutdown, and the controllers' own <see cref="OperatorOptions"/>. Bound from
/// <c>Cli.RunOptions</c>, which keeps every default and flag in one place (CONVENTIONS §13).
/// </summary>
public sealed record OperatorHostOptions
{
    public required LogLevel LogLevel { get; init; }

    /// <summary>Where <c>/metrics</c> listens, <c>HOST:PORT</c> or <c>:PORT</c>; <c>0</c> disables.</summary>
    public required string MetricsBindAddress { get; init; }

    /// <summary>Where <c>/healthz</c> and <c>/readyz</c> listen; <c>0</c> disables.</summary>
    public required string HealthProbeBindAddress { get; init; }

    public required bool LeaderElect { get; init; }
    public required string LeaderElectionNamespace { get; init; }
    public required string LeaderElectionId { get; init; }
    public required TimeSpan LeaseDuration { get; init; }
    public required TimeSpan RenewDeadline { get; init; }
    public required TimeSpan RetryPeriod { get; init; }

    public required OperatorOptions Operator { get; init; }
}
