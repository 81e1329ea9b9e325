using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kollect.Tests.E2e.Kind;

/// <summary>
/// The operator as installed on the kind cluster: the Deployment of config/default (overlay
/// tests/e2e/kind/operator: 0 replicas until a scenario starts it). Starting scales it to 1 and
/// waits for the rollout; stopping scales it to 0 (SIGTERM to the pod, as in production) and
/// waits for the pod to go. Logs come from <c>kubectl logs</c> and are kept across the stop.
/// </summary>
public sealed class KindOperator : IScenarioOperator
{
    private const string Selector = "app.kubernetes.io/name=kollect,app.kubernetes.io/component=operator";
    private List<string> _lines = [];
    private bool _stopped;

    private KindOperator()
    {
    }

    public bool HasExited => _stopped;

    public IReadOnlyList<JsonElement> Logs
    {
        get
        {
            Refresh();
            return _lines.Where(l => l.StartsWith('{')).Select(Parse).Where(e => e.ValueKind == JsonValueKind.Object).ToList();
        }
    }

    public static async Task<KindOperator> StartAsync()
    {
        await ScaleAsync(1);
        await KindCluster.KubectlAsync("rollout", "status", "-n", KindCluster.OperatorNamespace, $"deployment/{KindCluster.OperatorDeployment}", "--timeout=120s");
        return new KindOperator();
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        Refresh();
        await ScaleAsync(0);
        await KindCluster.KubectlAsync("wait", "--for=delete", "pod", "-n", KindCluster.OperatorNamespace, "-l", Selector, "--timeout=60s");
        _stopped = true;
    }

    public string Excerpt(int count = 60)
    {
        Refresh();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"--- operator deployment {KindCluster.OperatorNamespace}/{KindCluster.OperatorDeployment} ({(_stopped ? "stopped" : "running")}), {_lines.Count} lines\n");
        text.AppendJoin('\n', _lines.TakeLast(count));
        return text.ToString();
    }

    public void Dispose()
    {
        if (!_stopped)
        {
            StopAsync().GetAwaiter().GetResult();
        }
    }

    private static Task ScaleAsync(int replicas) =>
        KindCluster.KubectlAsync("scale", "-n", KindCluster.OperatorNamespace, $"deployment/{KindCluster.OperatorDeployment}", $"--replicas={replicas}");

    /// <summary>Re-reads the running pod's log; after the stop the last one read stays.</summary>
    private void Refresh()
    {
        if (_stopped)
        {
            return;
        }
        try
        {
            var log = KindCluster.KubectlAsync("logs", "-n", KindCluster.OperatorNamespace, $"deployment/{KindCluster.OperatorDeployment}", "--tail=-1").GetAwaiter().GetResult();
            _lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
        catch (Xunit.Sdk.XunitException)
        {
            // No pod (yet, or any more): keep what was read last.
        }
    }

    private static JsonElement Parse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
