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
    IReadOnlyList<string> UnsupportedRefs,
    InventoryStatusFields StoredStatus)
{
    /// <summary>The envelope namespace of a cluster inventory (SPEC §2.3).</summary>
    public const string ClusterEnvelopeNamespace = "cluster"; // not a Kollect field: an envelope value

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster inventory.</summary>
    public string Key => Cluster ? Name : $"{Namespace}/{Name}";

    /// <summary>The envelope's <c>namespace</c> (SPEC §5).</summary>
    public string EnvelopeNamespace => Cluster ? ClusterEnvelopeNamespace : Namespace;

    /// <summary>The prefix of an event sink ref's <c>status.sinkExports</c> entry name.</summary>
    public const string EventFamily = "event";

    /// <summary>The prefix of a database sink ref's <c>status.sinkExports</c> entry name.</summary>
    public const string DatabaseFamily = "database"; // not a Kollect field: a status entry prefix

    public string Kind => Cluster ? KollectClusterInventory.KindName : KollectInventory.KindName;

    /// <summary>The path of <c>spec.suspend</c>, for messages.</summary>
    public string SuspendPath => Cluster
        ? $"{KollectClusterInventory.JsonNames.Spec}.{KollectClusterInventorySpec.JsonNames.Suspend}"
        : $"{KollectInventory.JsonNames.Spec}.{KollectInventorySpec.JsonNames.Suspend}";

    /// <summary>The path of <c>spec.databaseSinkRefs</c>, for messages.</summary>
    public string DatabaseSinkRefsPath => Cluster
        ? $"{KollectClusterInventory.JsonNames.Spec}.{KollectClusterInventorySpec.JsonNames.DatabaseSinkRefs}"
        : $"{KollectInventory.JsonNames.Spec}.{KollectInventorySpec.JsonNames.DatabaseSinkRefs}";

    /// <summary>Reads an inventory of either kind (told apart by <c>kind</c>) into its generated model, once.</summary>
    public static InventorySpec Read(JsonObject inventory, InventoryExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var kind = (string?)inventory["kind"];
        return kind switch
        {
            KollectClusterInventory.KindName => Read(inventory.Deserialize(KollectJsonContext.Default.KollectClusterInventory)!, options),
            KollectInventory.KindName => Read(inventory.Deserialize(KollectJsonContext.Default.KollectInventory)!, options),
            _ => throw new ArgumentException($"expected a {KollectInventory.KindName} or {KollectClusterInventory.KindName}, got kind \"{kind}\"", nameof(inventory)),
        };
    }

    public static InventorySpec Read(KollectInventory inventory, InventoryExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(options);
        var name = inventory.Metadata.Name ?? throw new ArgumentException("the inventory has no metadata.name", nameof(inventory));
        var ns = inventory.Metadata.Namespace ?? throw new ArgumentException($"{KollectInventory.KindName} {name} has no metadata.namespace", nameof(inventory));
        var spec = inventory.Spec;
        const string Spec = KollectInventory.JsonNames.Spec;
        var invalid = new List<(string, string)>();
        var eventRefs = ReadRefs(spec?.EventSinkRefs, $"{Spec}.{KollectInventorySpec.JsonNames.EventSinkRefs}", EventFamily, false, ns, invalid);
        var databaseRefs = ReadRefs(spec?.DatabaseSinkRefs, $"{Spec}.{KollectInventorySpec.JsonNames.DatabaseSinkRefs}", DatabaseFamily, false, ns, invalid);
        return new InventorySpec(
            false, ns, name, inventory.Metadata.Generation ?? 0, spec?.Suspend == true, ToInterval(spec?.ExportMinInterval), spec?.MaxExportBytes,
            eventRefs, databaseRefs, invalid, Unsupported(spec?.SnapshotSinkRefs, $"{Spec}.{KollectInventorySpec.JsonNames.SnapshotSinkRefs}"),
            InventoryStatusFields.From(inventory.Status));
    }

    public static InventorySpec Read(KollectClusterInventory inventory, InventoryExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(options);
        var name = inventory.Metadata.Name ?? throw new ArgumentException("the inventory has no metadata.name", nameof(inventory));
        var spec = inventory.Spec;
        const string Spec = KollectClusterInventory.JsonNames.Spec;
        var sinkNamespace = spec?.SinkNamespace is { Length: > 0 } s ? s : options.DefaultSinkNamespace;
        var invalid = new List<(string, string)>();
        var eventRefs = ReadRefs(spec?.EventSinkRefs, $"{Spec}.{KollectClusterInventorySpec.JsonNames.EventSinkRefs}", EventFamily, true, sinkNamespace, invalid);
        var databaseRefs = ReadRefs(spec?.DatabaseSinkRefs, $"{Spec}.{KollectClusterInventorySpec.JsonNames.DatabaseSinkRefs}", DatabaseFamily, true, sinkNamespace, invalid);
        return new InventorySpec(
            true, "", name, inventory.Metadata.Generation ?? 0, spec?.Suspend == true, ToInterval(spec?.ExportMinInterval), null,
            eventRefs, databaseRefs, invalid, Unsupported(spec?.SnapshotSinkRefs, $"{Spec}.{KollectClusterInventorySpec.JsonNames.SnapshotSinkRefs}"),
            InventoryStatusFields.From(inventory.Status));
    }

    private static List<string> Unsupported(List<SinkReference>? refs, string path) =>
        (refs ?? []).Select((r, i) => Usable(r, out _) ? $"{path}[{i}] ({r.Name})" : $"{path}[{i}]").ToList();

    private static TimeSpan? ToInterval(Duration? duration) => duration is { Nanoseconds: >= 0 } d ? d.ToTimeSpan() : null;

    /// <summary>
    /// One ref list. Status entry names are <c>&lt;family&gt;/&lt;sink&gt;</c>, and for cluster
    /// inventories <c>&lt;family&gt;/&lt;namespace&gt;/&lt;sink&gt;</c>, since their refs may name
    /// equal sinks in two namespaces.
    /// </summary>
    private static List<InventorySinkRef> ReadRefs(List<SinkReference>? refs, string path, string family, bool cluster, string sinkNamespace, List<(string, string)> invalid)
    {
        var read = new List<InventorySinkRef>();
        for (var i = 0; i < (refs?.Count ?? 0); i++)
        {
            var reference = refs![i];
            if (Usable(reference, out var problem))
            {
                var refNamespace = cluster && reference.Namespace is { Length: > 0 } rn ? rn : sinkNamespace;
                var statusName = cluster ? $"{family}/{refNamespace}/{reference.Name}" : $"{family}/{reference.Name}";
                read.Add(new InventorySinkRef(refNamespace, reference.Name, statusName, reference.ExportMinInterval?.ToTimeSpan(), reference.MaxExportBytes));
            }
            else
            {
                invalid.Add(($"{path}[{i}]", problem));
            }
        }

        return read;
    }

    private static bool Usable(SinkReference reference, out string problem)
    {
        problem = reference.Problem ?? (reference.Name.Length > 0 ? "" : "a sink ref must name a sink");
        return problem.Length == 0;
    }
}
