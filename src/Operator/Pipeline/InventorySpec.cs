using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// What the exporter reads from a <c>KollectInventory</c> or <c>KollectClusterInventory</c>
/// (SPEC §2.2, §2.3). Refs are read with the API's own <see cref="SinkReference"/> converter, so
/// the string and object forms mean exactly what validation accepted; a ref that cannot be read
/// is kept with its problem and fails on its own.
/// </summary>
internal sealed record InventorySpec(
    bool Cluster,
    string Namespace,
    string Name,
    long Generation,
    bool Suspend,
    TimeSpan? Interval,
    long? MaxExportBytes,
    IReadOnlyList<InventorySinkRef> EventRefs,
    IReadOnlyList<InventorySinkRef> DatabaseRefs,
    IReadOnlyList<(string Path, string Problem)> InvalidRefs,
    IReadOnlyList<string> UnsupportedRefs)
{
    /// <summary>The envelope namespace of a cluster inventory (SPEC §2.3).</summary>
    public const string ClusterEnvelopeNamespace = "cluster";

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster inventory.</summary>
    public string Key => Cluster ? Name : $"{Namespace}/{Name}";

    /// <summary>The envelope's <c>namespace</c> (SPEC §5).</summary>
    public string EnvelopeNamespace => Cluster ? ClusterEnvelopeNamespace : Namespace;

    public string Kind => Cluster ? KollectClusterInventory.KindName : KollectInventory.KindName;

    public static InventorySpec Read(JsonObject inventory, InventoryExportOptions options)
    {
        var kind = (string?)inventory["kind"];
        var cluster = kind switch
        {
            KollectClusterInventory.KindName => true,
            KollectInventory.KindName => false,
            _ => throw new ArgumentException($"expected a {KollectInventory.KindName} or {KollectClusterInventory.KindName}, got kind \"{kind}\"", nameof(inventory)),
        };
        var name = KubeObjects.Name(inventory) ?? throw new ArgumentException("the inventory has no metadata.name", nameof(inventory));
        var ns = cluster ? "" : KubeObjects.Namespace(inventory) ?? throw new ArgumentException($"{KollectInventory.KindName} {name} has no metadata.namespace", nameof(inventory));
        var spec = inventory["spec"] as JsonObject ?? [];
        var sinkNamespace = cluster ? (string?)spec["sinkNamespace"] is { Length: > 0 } s ? s : options.DefaultSinkNamespace : ns;

        var invalid = new List<(string, string)>();
        var eventRefs = ReadRefs(spec["eventSinkRefs"] as JsonArray, "eventSinkRefs", "event", cluster, sinkNamespace, invalid);
        var databaseRefs = ReadRefs(spec["databaseSinkRefs"] as JsonArray, "databaseSinkRefs", "database", cluster, sinkNamespace, invalid);

        var unsupported = new List<string>();
        if (spec["snapshotSinkRefs"] is JsonArray other)
        {
            for (var i = 0; i < other.Count; i++)
            {
                unsupported.Add(TryReadRef(other[i], out var reference, out _) ? $"spec.snapshotSinkRefs[{i}] ({reference.Name})" : $"spec.snapshotSinkRefs[{i}]");
            }
        }

        return new InventorySpec(
            cluster,
            ns,
            name,
            KubeObjects.Generation(inventory),
            spec["suspend"] is JsonValue suspend && suspend.TryGetValue<bool>(out var suspended) && suspended,
            ReadDuration(spec["exportMinInterval"]),
            spec["maxExportBytes"] is JsonValue max && max.TryGetValue<long>(out var bytes) ? bytes : null,
            eventRefs,
            databaseRefs,
            invalid,
            unsupported);
    }

    /// <summary>
    /// One ref list. Status entry names are <c>&lt;family&gt;/&lt;sink&gt;</c>, and for cluster
    /// inventories <c>&lt;family&gt;/&lt;namespace&gt;/&lt;sink&gt;</c>, since their refs may name
    /// equal sinks in two namespaces.
    /// </summary>
    private static List<InventorySinkRef> ReadRefs(JsonArray? refs, string list, string family, bool cluster, string sinkNamespace, List<(string, string)> invalid)
    {
        var read = new List<InventorySinkRef>();
        for (var i = 0; i < (refs?.Count ?? 0); i++)
        {
            if (TryReadRef(refs![i], out var reference, out var problem))
            {
                var refNamespace = cluster && reference.Namespace is { Length: > 0 } rn ? rn : sinkNamespace;
                var statusName = cluster ? $"{family}/{refNamespace}/{reference.Name}" : $"{family}/{reference.Name}";
                read.Add(new InventorySinkRef(refNamespace, reference.Name, statusName, reference.ExportMinInterval?.ToTimeSpan(), reference.MaxExportBytes));
            }
            else
            {
                invalid.Add(($"spec.{list}[{i}]", problem));
            }
        }

        return read;
    }

    /// <summary>A Go duration string field such as <c>exportMinInterval</c>; null when absent or unreadable.</summary>
    public static TimeSpan? ReadDuration(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && Duration.TryParse(text, out var duration) && duration.Nanoseconds >= 0
            ? duration.ToTimeSpan()
            : null;

    private static bool TryReadRef(JsonNode? node, out SinkReference reference, out string problem)
    {
        reference = null!;
        problem = "";
        try
        {
            if (node?.Deserialize(KollectJsonContext.Default.SinkReference) is { Name.Length: > 0 } read)
            {
                reference = read;
                return true;
            }
            problem = "a sink ref must name a sink";
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            problem = e.Message;
        }
        return false;
    }
}
