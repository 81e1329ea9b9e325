using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Kind;

/// <summary>
/// Kind mode (<c>KOLLECT_E2E_MODE=kind</c>, run by scripts/e2e-kind.sh): the scenarios against a
/// real cluster. The API server through <c>kubectl proxy</c>; sinks name the in-cluster NATS
/// (JetStream, a StatefulSet with a volume, so a restart keeps its streams) and Kafka (KRaft, one
/// node); the test reads them back through port-forwards; the operator is the Deployment of
/// config/default (<see cref="KindOperator"/>). The cluster is shared by the scenarios, so dispose
/// stops the operator and deletes every namespace and cluster-scoped Kollect object a scenario
/// made, and waits until they are gone.
/// </summary>
public sealed class KindEnvironment : ScenarioEnvironment
{
    private static readonly string[] KeptNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease", "local-path-storage", KindCluster.OperatorNamespace, KindCluster.BrokerNamespace];
    private static readonly string[] ClusterScopedKinds = ["KollectClusterInventory", "KollectClusterTarget"];

    /// <summary>What a scenario may put into the operator's namespace (shared sinks and their profiles), removed after it.</summary>
    private static readonly string[] OperatorNamespaceKinds = ["KollectInventory", "KollectTarget", "KollectProfile", "KollectEventSink"];
    private readonly PortForward _proxy;
    private readonly PortForward _kafka;
    private readonly List<KindOperator> _operators = [];
    private PortForward? _nats;

    private KindEnvironment(PortForward proxy, PortForward kafka, PortForward nats)
    {
        _proxy = proxy;
        _kafka = kafka;
        _nats = nats;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{proxy.LocalPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Kube = new KubeResources(Http);
    }

    public HttpClient Http { get; }

    public override KubeResources Kube { get; }

    public override string KafkaBootstrap => KindCluster.KafkaBootstrap;

    public override string NatsUrl => KindCluster.NatsUrl;

    protected override IEnumerable<IScenarioOperator> Operators => _operators;

    public static async Task<KindEnvironment> StartAsync()
    {
        var proxy = await PortForward.ProxyAsync();
        var kafka = await PortForward.StartAsync(KindCluster.BrokerNamespace, "svc/kafka", KindCluster.KafkaExternalPort, 9094);
        var nats = await PortForward.StartAsync(KindCluster.BrokerNamespace, "svc/nats", 0, 4222);
        return new KindEnvironment(proxy, kafka, nats);
    }

    public override IScenarioOperator StartOperator()
    {
        Assert.True(_operators.All(o => o.HasExited), "the operator is already running on the cluster; stop it first");
        var started = KindOperator.StartAsync().GetAwaiter().GetResult();
        _operators.Add(started);
        return started;
    }

    public override Task<IReadOnlyList<PublishedMessage>> ReadKafkaAsync() =>
        KafkaTopicReader.ReadAsync($"127.0.0.1:{KindCluster.KafkaExternalPort}", KafkaTopic);

    public override IReadOnlyList<PublishedMessage> ReadNats(string stream) =>
        _nats is { } forward ? NatsStreamReader.Read(forward.LocalPort, stream) : throw new InvalidOperationException("NATS is stopped");

    public override async Task StopNatsAsync()
    {
        _nats?.Dispose();
        _nats = null;
        await KindCluster.KubectlAsync("scale", "-n", KindCluster.BrokerNamespace, "statefulset/nats", "--replicas=0");
        await KindCluster.KubectlAsync("wait", "--for=delete", "pod/nats-0", "-n", KindCluster.BrokerNamespace, "--timeout=60s");
    }

    public override async Task StartNatsAsync()
    {
        await KindCluster.KubectlAsync("scale", "-n", KindCluster.BrokerNamespace, "statefulset/nats", "--replicas=1");
        await KindCluster.KubectlAsync("rollout", "status", "-n", KindCluster.BrokerNamespace, "statefulset/nats", "--timeout=120s");
        _nats = await PortForward.StartAsync(KindCluster.BrokerNamespace, "svc/nats", 0, 4222);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var started in _operators)
        {
            await started.StopAsync();
        }
        if (_nats is null)
        {
            await StartNatsAsync();
        }
        foreach (var kind in ClusterScopedKinds)
        {
            foreach (var item in await Kube.ListAsync(kind, null))
            {
                await Kube.DeleteAsync(kind, null, (string)item["metadata"]!["name"]!);
            }
        }
        foreach (var kind in OperatorNamespaceKinds)
        {
            foreach (var item in await Kube.ListAsync(kind, KindCluster.OperatorNamespace))
            {
                await Kube.DeleteAsync(kind, KindCluster.OperatorNamespace, (string)item["metadata"]!["name"]!);
            }
        }
        var namespaces = (await Kube.ListAsync("Namespace", null))
            .Select(n => (string)n["metadata"]!["name"]!)
            .Where(n => !KeptNamespaces.Contains(n))
            .ToList();
        foreach (var ns in namespaces)
        {
            await Kube.DeleteAsync("Namespace", null, ns);
        }
        if (namespaces.Count > 0)
        {
            await KindCluster.KubectlAsync(["wait", "--for=delete", "--timeout=120s", .. namespaces.Select(n => $"namespace/{n}")]);
        }
        Http.Dispose();
        _nats?.Dispose();
        _kafka.Dispose();
        _proxy.Dispose();
    }
}
