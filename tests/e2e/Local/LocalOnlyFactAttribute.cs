namespace Kollect.Tests.E2e.Local;

/// <summary>
/// A scenario that needs what only local mode has (the test API server's fault injection, a
/// nats-server configured per test): skipped in kind mode with <see cref="Reason"/>.
/// </summary>
public sealed class LocalOnlyFactAttribute : FactAttribute
{
    public LocalOnlyFactAttribute(string reason)
    {
        Reason = reason;
        if (ScenarioEnvironment.IsKind)
        {
            Skip = $"local mode only: {reason}";
        }
    }

    public string Reason { get; }
}
