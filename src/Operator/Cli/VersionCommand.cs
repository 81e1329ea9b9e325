using System.CommandLine;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Kollect.Operator.Sinks.Kafka;

namespace Kollect.Operator.Cli;

/// <summary>
/// <c>kollect version</c>: the product version, the .NET runtime, and the librdkafka version read
/// through Confluent.Kafka — the last line proves that the native Kafka binding works in this build.
/// </summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the kollect version, the .NET runtime and the librdkafka version (exit 1 if librdkafka cannot be loaded).");
        command.SetAction(parseResult => Run(parseResult.InvocationConfiguration.Output));
        return command;
    }

    private static int Run(TextWriter output)
    {
        var (loaded, librdkafka) = ShippedLibrdkafka.DescribeVersion();
        output.WriteLine($"kollect {ProductVersion}");
        output.WriteLine($"runtime: {RuntimeInformation.FrameworkDescription} {RuntimeInformation.RuntimeIdentifier} ({(RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "NativeAOT")})");
        output.WriteLine($"librdkafka: {librdkafka}");
        return loaded ? 0 : 1;
    }

    internal static string ProductVersion =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
