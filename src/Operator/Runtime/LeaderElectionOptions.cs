namespace Kollect.Operator.Runtime;

/// <summary>
/// Leader election on a <c>coordination.k8s.io/v1</c> Lease (SPEC §7): defaults 15 s lease,
/// 10 s renew deadline, 2 s retry period, as controller-runtime.
/// </summary>
public sealed record LeaderElectionOptions
{
    public required string Namespace { get; init; }
    public required string LeaseName { get; init; }
    public required string Identity { get; init; }
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Checks the relation client-go requires: lease duration &gt; renew deadline &gt; retry period.</summary>
    public void Validate()
    {
        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException($"--lease-duration ({LeaseDuration.TotalSeconds:0.###}s) must be greater than --renew-deadline ({RenewDeadline.TotalSeconds:0.###}s).");
        }
        if (RenewDeadline <= RetryPeriod)
        {
            throw new ArgumentException($"--renew-deadline ({RenewDeadline.TotalSeconds:0.###}s) must be greater than --retry-period ({RetryPeriod.TotalSeconds:0.###}s).");
        }
        if (RetryPeriod <= TimeSpan.Zero)
        {
            throw new ArgumentException("--retry-period must be positive.");
        }
    }
}
