using System.CommandLine;
using Kollect.Operator.Cli;

namespace Kollect.Tests.Unit.Cli;

/// <summary>Runs the real <c>kollect</c> command tree in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = KollectCommandLine.Build().Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
