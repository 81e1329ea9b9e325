using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Kollect.Tests.Integration.KubeApiServer;

namespace Kollect.Tests.Integration.Kube;

/// <summary>Clients and objects for the test API server (waits: <see cref="Eventually"/>).</summary>
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
}
