using System.Text.Json;

namespace Kollect.Testing.Operator;

/// <summary>
/// The operator a scenario started: a <c>kollect run</c> process in local mode
/// (<see cref="OperatorProcess"/>), the Deployment in kind mode (tests/e2e/kind, <c>KindOperator</c>).
/// </summary>
public interface IScenarioOperator : IDisposable
{
    bool HasExited { get; }

    /// <summary>The JSON log records so far.</summary>
    IReadOnlyList<JsonElement> Logs { get; }

    /// <summary>Graceful stop (SIGTERM: drain, release the Lease); fails the test if it does not stop.</summary>
    Task StopAsync();

    /// <summary>The last log lines, warnings and errors first, for failure messages.</summary>
    string Excerpt(int count = 60);
}
