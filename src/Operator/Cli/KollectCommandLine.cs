using System.CommandLine;

namespace Kollect.Operator.Cli;

/// <summary>Builds the <c>kollect</c> command tree. Only commands that exist are listed.</summary>
internal static class KollectCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "Kollect.Aot: a NativeAOT Kubernetes operator that streams inventory snapshots of live cluster state to Kafka and NATS JetStream (kollect.dev/v1alpha1).");
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        return root;
    }
}
