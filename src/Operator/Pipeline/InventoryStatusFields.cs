using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Api;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// The status both inventory kinds share (SPEC §2.2), copied from and back into the kind's
/// generated <c>*Status</c> type, so that one builder writes both: the two CRDs have the same
/// status schema but the generator gives each kind its own types.
/// </summary>
internal sealed class InventoryStatusFields
{
    public long? ObservedGeneration { get; set; }

    public long? ItemCount { get; set; }

    public DateTimeOffset? LastExportTime { get; set; }

    public List<SinkExportFields>? SinkExports { get; set; }

    public List<Condition>? Conditions { get; set; }

    public static InventoryStatusFields From(KollectInventoryStatus? status) => new()
    {
        ObservedGeneration = status?.ObservedGeneration,
        ItemCount = status?.ItemCount,
        LastExportTime = status?.LastExportTime,
        SinkExports = status?.SinkExports?.Select(e => new SinkExportFields(e.Name, e.LastChecksum, e.LastGeneration, e.LastExportTime, Clone(e.Conditions))).ToList(),
        Conditions = Clone(status?.Conditions),
    };

    public static InventoryStatusFields From(KollectClusterInventoryStatus? status) => new()
    {
        ObservedGeneration = status?.ObservedGeneration,
        ItemCount = status?.ItemCount,
        LastExportTime = status?.LastExportTime,
        SinkExports = status?.SinkExports?.Select(e => new SinkExportFields(e.Name, e.LastChecksum, e.LastGeneration, e.LastExportTime, Clone(e.Conditions))).ToList(),
        Conditions = Clone(status?.Conditions),
    };

    public InventoryStatusFields Clone() => new()
    {
        ObservedGeneration = ObservedGeneration,
        ItemCount = ItemCount,
        LastExportTime = LastExportTime,
        SinkExports = SinkExports?.Select(e => e with { Conditions = Clone(e.Conditions) }).ToList(),
        Conditions = Clone(Conditions),
    };

    /// <summary>The status as the JSON of the kind's generated status type.</summary>
    public JsonObject ToJson(bool cluster) => cluster
        ? JsonSerializer.SerializeToNode(new KollectClusterInventoryStatus
        {
            ObservedGeneration = ObservedGeneration,
            ItemCount = ItemCount,
            LastExportTime = LastExportTime,
            SinkExports = SinkExports?.Select(e => new KollectClusterInventoryStatusSinkExportsItem
            {
                Name = e.Name, LastChecksum = e.LastChecksum, LastGeneration = e.LastGeneration, LastExportTime = e.LastExportTime, Conditions = e.Conditions,
            }).ToList(),
            Conditions = Conditions,
        }, KollectJsonContext.Default.KollectClusterInventoryStatus)!.AsObject()
        : JsonSerializer.SerializeToNode(new KollectInventoryStatus
        {
            ObservedGeneration = ObservedGeneration,
            ItemCount = ItemCount,
            LastExportTime = LastExportTime,
            SinkExports = SinkExports?.Select(e => new KollectInventoryStatusSinkExportsItem
            {
                Name = e.Name, LastChecksum = e.LastChecksum, LastGeneration = e.LastGeneration, LastExportTime = e.LastExportTime, Conditions = e.Conditions,
            }).ToList(),
            Conditions = Conditions,
        }, KollectJsonContext.Default.KollectInventoryStatus)!.AsObject();

    private static List<Condition>? Clone(List<Condition>? conditions) =>
        conditions?.Select(c => new Condition
        {
            Type = c.Type, Status = c.Status, ObservedGeneration = c.ObservedGeneration, LastTransitionTime = c.LastTransitionTime, Reason = c.Reason, Message = c.Message,
        }).ToList();
}
