using System.Diagnostics;
using System.Text;

namespace Kollect.Tests.E2e.Kind;

/// <summary>
/// The kind cluster scripts/e2e-kind.sh prepared, as its environment variables describe it, and
/// the real kubectl run against it.
/// </summary>
public static class KindCluster
{
    /// <summary>Namespace of the in-cluster NATS and Kafka (tests/e2e/kind/brokers).</summary>
    public const string BrokerNamespace = "kollect-e2e";

    public const string OperatorNamespace = "kollect-system";

    public const string OperatorDeployment = "kollect";

    /// <summary>Kafka's EXTERNAL listener advertises 127.0.0.1 on this port; it is port-forwarded to the pod's 9094.</summary>
    public const int KafkaExternalPort = 39094;

    /// <summary>The kubeconfig of the kind cluster (<c>KOLLECT_E2E_KUBECONFIG</c>).</summary>
    public static string Kubeconfig => Require("KOLLECT_E2E_KUBECONFIG");

    /// <summary>Kafka as the operator reaches it, inside the cluster.</summary>
    public static string KafkaBootstrap => $"kafka.{BrokerNamespace}.svc.cluster.local:9092";

    /// <summary>NATS as the operator reaches it, inside the cluster.</summary>
    public static string NatsUrl => $"nats://nats.{BrokerNamespace}.svc.cluster.local:4222";

    public static async Task<string> KubectlAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("kubectl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"kubectl {string.Join(' ', args)} did not finish within 3 min");
        }
        Assert.True(process.ExitCode == 0, new StringBuilder($"kubectl {string.Join(' ', args)} exited {process.ExitCode}:\n")
            .Append(await output).Append('\n').Append(await error).ToString());
        return await output;
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(Kubeconfig);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("KUBECONFIG");
        return start;
    }

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: kind mode is set up by scripts/e2e-kind.sh");
}
