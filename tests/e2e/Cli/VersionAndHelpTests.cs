using System.Text.RegularExpressions;

namespace Kollect.Tests.E2e.Cli;

public sealed partial class VersionAndHelpTests
{
    [Fact]
    public async Task Version_reports_product_runtime_and_librdkafka_through_the_native_binding()
    {
        var result = await KollectBinary.RunAsync("version");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^kollect \d+\.\d+\.\d+", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("runtime: .NET ", StringComparison.Ordinal) && l.EndsWith("(NativeAOT)", StringComparison.Ordinal));
        // The librdkafka version is read through Confluent.Kafka, so a 2.x version here proves the
        // P/Invoke binding to the system librdkafka survives NativeAOT compilation.
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^librdkafka: 2\.\d+\.\d+"));
    }

    [Fact]
    public async Task Help_lists_only_commands_that_exist()
    {
        var help = await KollectBinary.RunAsync("--help");
        Assert.True(help.ExitCode == 0, help.ToString());

        var commands = ListedCommands(help.StdOut);
        Assert.Contains("version", commands);
        foreach (var command in commands)
        {
            var sub = await KollectBinary.RunAsync(command, "--help");
            Assert.True(sub.ExitCode == 0, $"kollect {command} --help: {sub}");
            Assert.Contains($"kollect {command}", sub.StdOut);
        }
    }

    [Fact]
    public async Task Unknown_command_fails_with_a_message()
    {
        var result = await KollectBinary.RunAsync("no-such-command");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no-such-command", result.StdErr + result.StdOut);
    }

    private static List<string> ListedCommands(string help)
    {
        var section = help[(help.IndexOf("Commands:", StringComparison.Ordinal) + "Commands:".Length)..];
        return CommandLine().Matches(section).Select(m => m.Groups[1].Value).ToList();
    }

    [GeneratedRegex(@"^\s{2}([a-z][a-z-]*)\b", RegexOptions.Multiline)]
    private static partial Regex CommandLine();
}
