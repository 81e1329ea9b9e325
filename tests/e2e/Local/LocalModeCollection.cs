namespace Kollect.Tests.E2e.Local;

/// <summary>
/// Local-mode scenarios run one at a time: each starts an operator, brokers and an API server, and
/// the machine has few cores; running them side by side would only make them slower and noisier.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LocalModeCollection
{
    public const string Name = "local mode";
}
