using System.CommandLine;
using Kollect.Operator.Hosting;
using Kollect.Operator.Kube;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kollect.Operator.Cli;

/// <summary>
/// <c>kollect run</c>: operator mode (SPEC §8). Every setting of <see cref="RunOptions"/> is a flag
/// and an environment variable. The probe servers are bound first, so liveness answers at once;
/// the Kubernetes configuration is loaded before the host is built, so a bad kubeconfig is one line
/// on standard error and exit 2; the generic host then runs until
/// SIGTERM/SIGINT. The action is synchronous on purpose: System.CommandLine's async actions give
/// SIGTERM only a 2 s grace period, too short to drain and release the lease.
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
            var error = parseResult.InvocationConfiguration.Error;
            RunOptions settings;
            try
            {
                settings = RunOptions.Resolve(Flag, Environment.GetEnvironmentVariable);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"kollect run: {e.Message}");
                return 2;
            }
            return Run(settings, error);
        });
        return command;
    }

    private static int Run(RunOptions settings, TextWriter error)
    {
        // Probes first: liveness answers within milliseconds of the start (SPEC §10), before the
        // kubeconfig is read and the host is built.
        var host = settings.ToHostOptions();
        OperatorProbes probes;
        try
        {
            probes = OperatorProbes.Bind(host);
        }
        catch (Exception e) when (e is ArgumentException or System.Net.Sockets.SocketException)
        {
            error.WriteLine($"kollect run: cannot start the operator: {e.Message}");
            return 2;
        }
        KubeClientConfig kube;
        try
        {
            kube = KubeConfigLoader.Load(settings.Kubeconfig, settings.Context);
        }
        catch (KubeConfigException e)
        {
            probes.DisposeAsync().AsTask().GetAwaiter().GetResult();
            error.WriteLine($"kollect run: {e.Message}");
            return 2;
        }
        using var operatorHost = OperatorHost.Build(host, kube, probes);
        // A lost lease does not end the process (issue #13): it campaigns again with warm caches.
        operatorHost.Run();
        return 0;
    }
}
