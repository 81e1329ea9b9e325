using System.Diagnostics;
using System.Text.Json.Nodes;
using Kollect.Testing.KubeApiServer;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// Local mode (issue #6 §5): the test API server in-process with crds/ installed, a real
/// nats-server with JetStream, librdkafka's mock Kafka cluster with a topic, and <c>kollect run</c>
/// from the published AOT binary. One environment per test, so scenarios never see each other's
/// messages; everything is stopped and deleted on dispose.
/// </summary>
public sealed class LocalEnvironment : ScenarioEnvironment
{
    private static readonly SemaphoreSlim CrdGate = new(1, 1);
    private static List<JsonObject>? _crdManifests;

    private readonly List<OperatorProcess> _operators = [];

    private LocalEnvironment(KubeApiServerHost server, string directory, NatsServerProcess nats, KafkaMockCluster kafka)
    {
        Server = server;
        Directory = directory;
        Nats = nats;
        Kafka = kafka;
        Http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Kube = new KubeResources(Http);
    }

    public KubeApiServerHost Server { get; }

    /// <summary>Temp dir holding the kubeconfig (and anything a test writes).</summary>
    public string Directory { get; }

    public string KubeconfigPath => Path.Combine(Directory, "kubeconfig");

    public HttpClient Http { get; }

    public override KubeResources Kube { get; }

    public NatsServerProcess Nats { get; }

    public KafkaMockCluster Kafka { get; }

    public override string KafkaBootstrap => Kafka.Bootstrap;

    public override string NatsUrl => Nats.Url;

    /// <summary>The operator started last (null before <see cref="StartOperator"/>).</summary>
    public OperatorProcess? Operator => _operators.LastOrDefault();

    protected override IEnumerable<IScenarioOperator> Operators => _operators;

    /// <summary>
    /// Starts the servers and installs the CRDs (not the operator: scenarios create some objects
    /// first). <paramref name="natsMaxPayload"/> sets nats-server's <c>max_payload</c> in bytes.
    /// </summary>
    public static async Task<LocalEnvironment> StartAsync(int? natsMaxPayload = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("kollect-e2e-").FullName;
        KubeApiServerHost? server = null;
        NatsServerProcess? nats = null;
        KafkaMockCluster? kafka = null;
        try
        {
            server = await KubeApiServerHost.StartAsync(new KubeApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) });
            nats = NatsServerProcess.Start(natsMaxPayload is { } max ? dir => WriteNatsConfig(dir, max) : null);
            kafka = new KafkaMockCluster();
            kafka.CreateTopic(KafkaTopic, partitions: 3);
            var environment = new LocalEnvironment(server, directory, nats, kafka);
            await File.WriteAllTextAsync(environment.KubeconfigPath, server.KubeconfigYaml());
            await environment.InstallCrdsAsync();
            return environment;
        }
        catch
        {
            kafka?.Dispose();
            nats?.Dispose();
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Starts <c>kollect run</c> against this environment (a second call is a restart after <see cref="OperatorProcess.StopAsync"/>).</summary>
    public override IScenarioOperator StartOperator()
    {
        Assert.True(Operator is null || Operator.HasExited, "an operator is already running in this environment; stop it first");
        var process = OperatorProcess.Local(KubeconfigPath, ClusterName);
        _operators.Add(process);
        return process;
    }

    /// <summary>
    /// Starts another <c>kollect run</c> with <paramref name="extraArgs"/> and environment (the
    /// fault scenarios: leader election, POD_NAME, sink settings); several may run at once.
    /// </summary>
    public OperatorProcess StartOperatorWith(IEnumerable<string> extraArgs, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = OperatorProcess.Local(KubeconfigPath, ClusterName, extraArgs, environment);
        _operators.Add(process);
        return process;
    }

    /// <summary>The API server goes away (listener and connections closed), keeping its objects.</summary>
    public Task StopApiServerAsync() => Server.StopListeningAsync();

    /// <summary>The API server is back on the same port with the same objects.</summary>
    public Task StartApiServerAsync() => Server.StartListeningAsync();

    /// <summary>The Kafka mock's only broker goes down (connections refused) or comes back.</summary>
    public void SetKafkaDown(bool down)
    {
        if (down)
        {
            Kafka.SetBrokerDown(1);
        }
        else
        {
            Kafka.SetBrokerUp(1);
        }
    }

    public override Task<IReadOnlyList<PublishedMessage>> ReadKafkaAsync() => KafkaTopicReader.ReadAsync(Kafka.Bootstrap, KafkaTopic);

    public override IReadOnlyList<PublishedMessage> ReadNats(string stream) => NatsStreamReader.Read(Nats.Port, stream);

    public override Task StopNatsAsync()
    {
        Nats.Kill();
        return Task.CompletedTask;
    }

    public override Task StartNatsAsync()
    {
        Nats.Restart();
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var process in _operators)
        {
            process.Dispose();
        }
        Http.Dispose();
        Kafka.Dispose();
        Nats.Dispose();
        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string WriteNatsConfig(string directory, int maxPayload)
    {
        var path = Path.Combine(directory, "nats.conf");
        File.WriteAllText(path, $"max_payload: {maxPayload}\n");
        return path;
    }

    /// <summary>
    /// The first environment applies crds/ with the real kubectl and keeps what the server stored;
    /// later ones create the same objects over HTTP, which costs milliseconds instead of seconds.
    /// </summary>
    private async Task InstallCrdsAsync()
    {
        await CrdGate.WaitAsync();
        try
        {
            if (_crdManifests is null)
            {
                await KubectlApplyCrdsAsync();
                var (status, body) = await GetTextAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
                Assert.True(status == 200, $"listing CRDs failed with HTTP {status}: {body}");
                _crdManifests = JsonNode.Parse(body)!["items"]!.AsArray().Select(item => Reusable(item!.AsObject())).ToList();
                Assert.True(_crdManifests.Count == 8, $"expected the 8 Kollect CRDs, the server holds {_crdManifests.Count}");
                return;
            }
            foreach (var crd in _crdManifests)
            {
                await Kube.CreateAsync((JsonObject)crd.DeepClone());
            }
        }
        finally
        {
            CrdGate.Release();
        }
    }

    private static JsonObject Reusable(JsonObject stored)
    {
        var crd = (JsonObject)stored.DeepClone();
        crd.Remove("status");
        var metadata = crd["metadata"]!.AsObject();
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields" })
        {
            metadata.Remove(field);
        }
        return crd;
    }

    private async Task<(int Status, string Body)> GetTextAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task KubectlApplyCrdsAsync()
    {
        var start = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--kubeconfig", KubeconfigPath, "--cache-dir", Path.Combine(Directory, "kube-cache"), "apply", "-f", CrdDirectory })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["HOME"] = Directory;
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException("kubectl apply -f crds/ did not finish within 60 s");
        }
        Assert.True(process.ExitCode == 0, $"kubectl apply -f crds/ exited {process.ExitCode}:\n{await output}\n{await error}");
    }

    private static string CrdDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Kollect.Aot.sln")))
                {
                    return Path.Combine(dir.FullName, "crds");
                }
            }
            throw new InvalidOperationException($"no Kollect.Aot.sln above {AppContext.BaseDirectory}");
        }
    }
}
