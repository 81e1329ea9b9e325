using System.CommandLine;
using System.Runtime.InteropServices;
using Kollect.Operator.Controllers;
using Kollect.Operator.Observability;

namespace Kollect.Operator.Cli;

/// <summary>
/// <c>kollect run</c>: operator mode (SPEC §8). Every setting of <see cref="RunOptions"/> is a flag
/// and an environment variable. The action is synchronous on purpose: System.CommandLine's async
/// actions give SIGTERM only a 2 s grace period, too short to drain reconciles and release the
/// lease, so the command handles SIGTERM/SIGINT itself.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the operator: watch Kollect resources and reconcile them (operator mode).");
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var (flag, environment, description) in RunOptions.Settings)
        {
            Option option = flag is "--leader-elect" or "--allow-private-sinks" or "--allow-loopback-sinks"
                ? new Option<bool>(flag) { Description = $"{description} [env {environment}]" }
                : new Option<string>(flag) { Description = $"{description} [env {environment}]" };
            options[flag] = option;
            command.Options.Add(option);
        }
        command.SetAction(parseResult =>
        {
            string? Flag(string name)
            {
                var option = options[name];
                if (parseResult.GetResult(option) is null)
                {
                    return null;
                }
                return option is Option<bool> b ? (parseResult.GetValue(b) ? "true" : "false") : parseResult.GetValue((Option<string>)option);
            }
            RunOptions settings;
            LogSeverity severity;
            try
            {
                settings = RunOptions.Resolve(Flag, Environment.GetEnvironmentVariable);
                severity = Logger.ParseSeverity(settings.LogLevel);
            }
            catch (ArgumentException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"kollect run: {e.Message}");
                return 2;
            }
            return Run(settings, new Logger(Console.Error, severity));
        });
        return command;
    }

    private static int Run(RunOptions settings, Logger log)
    {
        using var stopping = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            log.Info("stop requested; draining", ("signal", context.Signal.ToString()));
            stopping.Cancel();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            return new OperatorRunner(settings, log).RunAsync(stopping.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ArgumentException or System.Net.Sockets.SocketException)
        {
            log.Error("cannot start the operator", ("error", e.Message));
            return 2;
        }
    }
}
