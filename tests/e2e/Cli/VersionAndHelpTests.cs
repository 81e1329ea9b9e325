using System.Text.RegularExpressions;

namespace Kollect.Tests.E2e.Cli;

public sealed partial class VersionAndHelpTests
{
    private const string SystemLibrdkafka = "/usr/lib/x86_64-linux-gnu/librdkafka";

    [Fact]
    public async Task Version_reports_product_runtime_and_librdkafka_through_the_native_binding()
    {
        var result = await KollectBinary.RunAsync("version");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^kollect \d+\.\d+\.\d+", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("runtime: .NET ", StringComparison.Ordinal) && l.EndsWith("(NativeAOT)", StringComparison.Ordinal));
        // Read through Confluent.Kafka, so this proves its binding survives NativeAOT compilation;
        // and it names the file it came from: the one shipped next to the binary.
        Assert.Contains($"librdkafka: 2.16.0 ({ShippedLibrdkafka})", lines);
    }

    [Fact]
    public async Task Version_loads_the_shipped_librdkafka_where_no_system_librdkafka_exists()
    {
        // A private mount namespace in which every file of Debian's librdkafka is /dev/null (the
        // second loop proves it), with an empty LD_LIBRARY_PATH: what a bare image offers.
        var script = $$"""
            set -e
            for f in {{SystemLibrdkafka}}*; do mount --bind /dev/null "$f"; done
            for f in {{SystemLibrdkafka}}*; do [ ! -s "$f" ] || { echo "not hidden: $f"; exit 97; }; done
            LD_LIBRARY_PATH= exec "$0" version
            """;
        var result = await KollectBinary.RunProgramAsync(
            "unshare", "--mount", "--propagation", "private", "--fork", "sh", "-c", script, KollectBinary.Path);

        Assert.True(result.ExitCode == 0, $"(unshare --mount needs root; CI runs as root) {result}");
        Assert.Contains($"librdkafka: 2.16.0 ({ShippedLibrdkafka})", result.StdOut);
    }

    [Fact]
    public async Task Version_fails_naming_the_missing_file_rather_than_falling_back_to_a_system_librdkafka()
    {
        // Debian's librdkafka is installed here (test equipment), so a fallback would succeed and
        // print 2.0.x; the binary without its directory must refuse instead.
        Assert.True(File.Exists(SystemLibrdkafka + ".so.1"), $"this test needs {SystemLibrdkafka}.so.1 (scripts/bootstrap.sh installs it)");
        var directory = Directory.CreateTempSubdirectory("kollect-e2e-alone-");
        try
        {
            var alone = Path.Combine(directory.FullName, "kollect");
            File.Copy(KollectBinary.Path, alone);

            var result = await KollectBinary.RunProgramAsync(alone, "version");

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains($"librdkafka: unavailable: {Path.Combine(directory.FullName, "librdkafka.so")} does not exist", result.StdOut);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string ShippedLibrdkafka => Path.Combine(Path.GetDirectoryName(KollectBinary.Path)!, "librdkafka.so");

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
