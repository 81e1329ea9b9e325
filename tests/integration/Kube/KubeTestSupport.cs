using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Kollect.Tests.Integration.KubeApiServer;

namespace Kollect.Tests.Integration.Kube;

/// <summary>Clients for the test API server and a polling wait without wall-clock assertions.</summary>
public static class KubeTestSupport
{
    public static KubeClientConfig Config(KubeApiServerFixture fixture) =>
        KubeConfigLoader.FromKubeconfigFiles([fixture.KubeconfigPath], null);

    public static ILoggerFactory QuietLog() => NullLoggerFactory.Instance;

    public static JsonObject ConfigMap(string name, string? ns = null, Dictionary<string, string>? labels = null, string value = "v")
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }
        if (labels is not null)
        {
            var l = new JsonObject();
            foreach (var (k, v) in labels)
            {
                l[k] = v;
            }
            metadata["labels"] = l;
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata, ["data"] = new JsonObject { ["k"] = value } };
    }

    /// <summary>Polls <paramref name="condition"/> until true; fails with <paramref name="what"/> after 20 s.</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
            await Task.Delay(25);
        }
    }

    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
            await Task.Delay(50);
        }
    }
}
