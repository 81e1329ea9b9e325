using System.Text;
using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Controllers;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;
using Kollect.Operator.Sinks.Common;
using Kollect.Tests.Integration.Kube;
using Kollect.Tests.Integration.KubeApiServer;

namespace Kollect.Tests.Integration.Controllers;

/// <summary>
/// The sink and connection-test controllers of one namespace, wired as the operator wires them
/// (informers, routing with the Secret watch, one gateway), with a short re-probe backoff; stopped on dispose.
/// </summary>
public sealed class SinkControllers : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly EventSinkGateway _gateway = new();
    private readonly Routing _routing = new();

    private SinkControllers(KubeClient client, string ns)
    {
        Client = client;
        Namespace = ns;
    }

    public KubeClient Client { get; }

    public string Namespace { get; }

    public KubeResource Sinks { get; private set; } = null!;

    public KubeResource Tests { get; private set; } = null!;

    public MetricsRegistry Metrics { get; } = new();

    public static async Task<SinkControllers> StartAsync(KubeApiServerFixture fixture, bool allowCrossNamespaceSecrets = false)
    {
        await fixture.EnsureProjectCrdsAsync();
        var client = new KubeClient(KubeTestSupport.Config(fixture));
        var controllers = new SinkControllers(client, await fixture.CreateNamespaceAsync("sinks"));
        await controllers.RunAsync(allowCrossNamespaceSecrets);
        return controllers;
    }

    private async Task RunAsync(bool allowCrossNamespaceSecrets)
    {
        var log = KubeTestSupport.QuietLog();
        Sinks = await Client.Discovery.ResolveAsync(new GroupVersionKind(KollectEventSink.Group, KollectEventSink.Version, KollectEventSink.KindName), default);
        Tests = await Client.Discovery.ResolveAsync(new GroupVersionKind(KollectConnectionTest.Group, KollectConnectionTest.Version, KollectConnectionTest.KindName), default);
        Controller? testController = null;
        var sinkInformer = new Informer(Client, Sinks, Namespace, null, (_, o) => _routing.OnKollectEvent(KollectEventSink.KindName, o), log);
        var testInformer = new Informer(Client, Tests, Namespace, null, (_, o) => testController!.Queue.Add(ObjectKey.Of(o)), log);
        var directory = new OperatorSinkDirectory(
            Client,
            new EventSinkResolverOptions { EndpointPolicy = new EndpointPolicy(false, true), AllowCrossNamespaceSecrets = allowCrossNamespaceSecrets, ConnectTimeout = TimeSpan.FromSeconds(3) },
            sinkInformer.Get);
        var sinkController = new Controller("sinks", new EventSinkReconciler(
            Client, Sinks, sinkInformer, directory, _gateway, new EventRecorder(Client, "test", log), Metrics, log,
            retryBackoff: new ExponentialBackoff(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1))), 2, log, Metrics);
        testController = new Controller("tests", new ConnectionTestReconciler(Client, Tests, testInformer, directory, _gateway, Metrics, log), 2, log, Metrics);
        _routing.Attach(KollectEventSink.KindName, sinkInformer, sinkController);
        _running.Add(sinkInformer.RunAsync(_stop.Token));
        _running.Add(testInformer.RunAsync(_stop.Token));
        _running.Add(sinkController.RunAsync(_stop.Token, _stop.Token));
        _running.Add(testController.RunAsync(_stop.Token, _stop.Token));
        _running.Add(_routing.SecretStream(Client, log).RunAsync(_stop.Token));
    }

    public Task CreateSecretAsync(string name, string password, string? ns = null) =>
        Client.CreateAsync(KubeResource.Secrets, ns ?? Namespace, SecretObject(name, password, ns ?? Namespace), default);

    public Task UpdateSecretAsync(string name, string password) =>
        Client.MergePatchAsync(KubeResource.Secrets, Namespace, name, new JsonObject { ["data"] = SecretData(password) }, default);

    /// <summary>A NATS sink on <paramref name="url"/> using Secret <paramref name="secret"/> (user kollect).</summary>
    public Task<JsonObject> CreateNatsSinkAsync(string name, string url, string? secret, JsonObject? annotations = null, bool connectionTest = true, string? secretNamespace = null)
    {
        var nats = new JsonObject { ["url"] = url, ["subject"] = "kollect.events" };
        if (secret is not null)
        {
            nats["secretRef"] = secretNamespace is null ? new JsonObject { ["name"] = secret } : new JsonObject { ["name"] = secret, ["namespace"] = secretNamespace };
        }

        var metadata = new JsonObject { ["name"] = name };
        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        return Client.CreateAsync(Sinks, Namespace, new JsonObject
        {
            ["apiVersion"] = $"{KollectEventSink.Group}/{KollectEventSink.Version}",
            ["kind"] = KollectEventSink.KindName,
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["type"] = "nats", ["connectionTest"] = connectionTest, ["nats"] = nats },
        }, default);
    }

    public Task<JsonObject> GetSinkAsync(string name) => Client.GetAsync(Sinks, Namespace, name, default);

    public static JsonObject? Condition(JsonObject obj, string type) =>
        obj["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    /// <summary>Waits until the sink's condition has the status and reason; returns the sink.</summary>
    public async Task<JsonObject> WaitForConditionAsync(string sink, string type, string status, string? reason = null)
    {
        JsonObject current = null!;
        await Eventually.UntilAsync(async () =>
        {
            current = await GetSinkAsync(sink);
            var condition = Condition(current, type);
            return (string?)condition?["status"] == status && (reason is null || (string?)condition?["reason"] == reason);
        }, $"{sink}: {type}={status} {reason}");
        return current;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_running);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await _gateway.DisposeAsync();
        _routing.Dispose();
        Client.Dispose();
        _stop.Dispose();
    }

    private static JsonObject SecretObject(string name, string password, string ns) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["data"] = SecretData(password),
    };

    private static JsonObject SecretData(string password) => new()
    {
        ["username"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("kollect")),
        ["password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(password)),
    };
}
