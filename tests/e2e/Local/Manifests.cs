using System.Text.Json.Nodes;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// The objects the scenarios create, as JSON: ConfigMaps to collect, a profile that reads them,
/// targets, Kafka and NATS sinks, inventories. Field names follow crds/*.yaml (SPEC §2).
/// </summary>
public static class Manifests
{
    /// <summary>Label every collected ConfigMap carries; targets select on it so nothing else in a namespace is collected.</summary>
    public const string CollectLabel = "e2e.kollect.dev/collect";

    /// <summary>Attributes of <see cref="ConfigMapProfile"/>: <c>value</c> (<c>$.data.value</c>) and <c>data</c> (the whole map, scrubbed).</summary>
    public static readonly string[] ProfileAttributes = ["value", "data"];

    private const string KollectApiVersion = "kollect.dev/v1alpha1";

    public static JsonObject Namespace(string name, IReadOnlyDictionary<string, string>? labels = null) =>
        Object("v1", "Namespace", null, name, labels);

    /// <summary>A ConfigMap with the collect label and the given data.</summary>
    public static JsonObject ConfigMap(string ns, string name, IReadOnlyDictionary<string, string> data, bool collected = true)
    {
        var manifest = Object("v1", "ConfigMap", ns, name, collected ? new Dictionary<string, string> { [CollectLabel] = "yes" } : null);
        manifest["data"] = Map(data);
        return manifest;
    }

    /// <summary>A ConfigMap whose only data key is <c>value</c>.</summary>
    public static JsonObject ConfigMap(string ns, string name, string value, bool collected = true) =>
        ConfigMap(ns, name, new Dictionary<string, string> { ["value"] = value }, collected);

    public static JsonObject Secret(string ns, string name, IReadOnlyDictionary<string, string> stringData)
    {
        var manifest = Object("v1", "Secret", ns, name, null);
        manifest["stringData"] = Map(stringData);
        return manifest;
    }

    /// <summary>A profile for core v1 ConfigMaps with the attributes of <see cref="ProfileAttributes"/>.</summary>
    public static JsonObject ConfigMapProfile(string ns, string name)
    {
        var manifest = Object(KollectApiVersion, "KollectProfile", ns, name, null);
        manifest["spec"] = new JsonObject
        {
            ["targetGVK"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "ConfigMap" },
            ["attributes"] = new JsonArray
            {
                new JsonObject { ["name"] = "value", ["path"] = "$.data.value", ["type"] = "string", ["optional"] = true },
                new JsonObject { ["name"] = "data", ["path"] = "$.data", ["type"] = "map", ["optional"] = true },
            },
        };
        return manifest;
    }

    /// <summary>A target collecting the labelled ConfigMaps of its own namespace.</summary>
    public static JsonObject Target(string ns, string name, string profile)
    {
        var manifest = Object(KollectApiVersion, "KollectTarget", ns, name, null);
        manifest["spec"] = new JsonObject
        {
            ["profileRef"] = profile,
            ["includedNamespaces"] = new JsonArray(ns),
            ["labelSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [CollectLabel] = "yes" } },
        };
        return manifest;
    }

    /// <summary>A cluster target over the namespaces carrying <paramref name="namespaceLabel"/>=<paramref name="labelValue"/>.</summary>
    public static JsonObject ClusterTarget(string name, string profileNamespace, string profile, string namespaceLabel, string labelValue)
    {
        var manifest = Object(KollectApiVersion, "KollectClusterTarget", null, name, null);
        manifest["spec"] = new JsonObject
        {
            ["profileRef"] = new JsonObject { ["name"] = profile, ["namespace"] = profileNamespace },
            ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [namespaceLabel] = labelValue } },
        };
        return manifest;
    }

    /// <summary>A Kafka sink on the mock cluster's bootstrap list (connection test on, as by default).</summary>
    public static JsonObject KafkaSink(string ns, string name, string bootstrap, string topic)
    {
        var manifest = Object(KollectApiVersion, "KollectEventSink", ns, name, null);
        manifest["spec"] = new JsonObject
        {
            ["type"] = "kafka",
            ["kafka"] = new JsonObject { ["brokers"] = new JsonArray([.. bootstrap.Split(',').Select(b => (JsonNode)b)]), ["topic"] = topic },
        };
        return manifest;
    }

    /// <summary>A NATS sink; the stream is created if missing (<c>provisioning.mode: ensure</c>).</summary>
    public static JsonObject NatsSink(string ns, string name, string url, string subject, string stream, string? tokenSecret = null)
    {
        var manifest = Object(KollectApiVersion, "KollectEventSink", ns, name, null);
        var nats = new JsonObject { ["url"] = url, ["subject"] = subject, ["stream"] = stream };
        if (tokenSecret is not null)
        {
            nats["secretRef"] = new JsonObject { ["name"] = tokenSecret };
        }
        manifest["spec"] = new JsonObject
        {
            ["type"] = "nats",
            ["nats"] = nats,
            ["provisioning"] = new JsonObject { ["mode"] = "ensure" },
        };
        return manifest;
    }

    /// <summary>An inventory with the given sink refs (strings or objects, SPEC §2.2).</summary>
    public static JsonObject Inventory(string ns, string name, string exportMinInterval, params JsonNode[] refs)
    {
        var manifest = Object(KollectApiVersion, "KollectInventory", ns, name, null);
        manifest["spec"] = new JsonObject
        {
            ["eventSinkRefs"] = new JsonArray(refs),
            ["exportMinInterval"] = exportMinInterval,
        };
        return manifest;
    }

    /// <summary>A cluster inventory over the labelled namespaces; sinks referenced by name (+ namespace, SPEC §2.3).</summary>
    public static JsonObject ClusterInventory(string name, string namespaceLabel, string labelValue, string exportMinInterval, params JsonNode[] refs)
    {
        var manifest = Object(KollectApiVersion, "KollectClusterInventory", null, name, null);
        manifest["spec"] = new JsonObject
        {
            ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { [namespaceLabel] = labelValue } },
            ["eventSinkRefs"] = new JsonArray(refs),
            ["exportMinInterval"] = exportMinInterval,
        };
        return manifest;
    }

    /// <summary>A sink ref in object form.</summary>
    public static JsonObject Ref(string name, string? exportMinInterval = null, long? maxExportBytes = null, string? ns = null)
    {
        var reference = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            reference["namespace"] = ns;
        }
        if (exportMinInterval is not null)
        {
            reference["exportMinInterval"] = exportMinInterval;
        }
        if (maxExportBytes is { } bytes)
        {
            reference["maxExportBytes"] = bytes;
        }
        return reference;
    }

    private static JsonObject Object(string apiVersion, string kind, string? ns, string name, IReadOnlyDictionary<string, string>? labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }
        if (labels is not null)
        {
            metadata["labels"] = Map(labels);
        }
        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }
        return map;
    }
}
