using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kollect.Operator.Collect;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;

namespace Kollect.Bench;

/// <summary>
/// Bytes per kept row (issue #14), from a heap count rather than RSS: the managed heap after a
/// full compacting GC, before and after the <see cref="CollectionEngine"/> collects N ConfigMaps
/// shaped like scripts/bench-pipeline.py's, with its 4-attribute profile. The difference is what
/// the engine keeps per object: rows, their sort keys and every index over them.
/// </summary>
internal static class RowMemory
{
    private static readonly GroupVersionKind ConfigMap = new("", "v1", "ConfigMap");

    public static void Run(int count)
    {
        var engine = new CollectionEngine();
        engine.UpsertNamespace(Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench","labels":{}}}"""));
        engine.UpsertProfile(JsonSerializer.Deserialize("""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectProfile","metadata":{"name":"configmaps","namespace":"bench"},
             "spec":{"targetGVK":{"group":"","version":"v1","kind":"ConfigMap"},"attributes":[
               {"name":"owner","path":"$.data.owner","type":"string"},{"name":"image","path":"$.data.image","type":"string"},
               {"name":"labels","path":"$.metadata.labels","type":"map"},{"name":"keys","path":"cel:size(object.data)","type":"int"}]}}
            """, KollectJsonContext.Default.KollectProfile)!);
        engine.UpsertTarget(JsonSerializer.Deserialize("""
            {"apiVersion":"kollect.dev/v1alpha1","kind":"KollectTarget","metadata":{"name":"configmaps","namespace":"bench","generation":1},
             "spec":{"profileRef":"configmaps","labelSelector":{"matchLabels":{"app":"bench"}}}}
            """, KollectJsonContext.Default.KollectTarget)!);
        var before = Heap();
        for (var i = 0; i < count; i++)
        {
            engine.ApplyObject(ConfigMap, Object(i));
        }
        var after = Heap();
        var rows = engine.RowsForNamespace("bench");
        long json = 0, keys = 0;
        foreach (var row in rows)
        {
            json += row.JsonLength;
            keys += row.SortKey.Length;
        }
        var perRow = (double)(after - before) / count;
        var inRows = (double)(json + keys) / count;
        Console.WriteLine("| Figure | Measured |");
        Console.WriteLine("| --- | ---: |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Rows kept by the engine | {rows.Count:N0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Managed heap they hold (after a full compacting GC) | {(after - before) / 1048576.0:F1} MiB |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Bytes per kept row (rows + sort keys + indexes) | {perRow:F0} B |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| of which row JSON + sort key bytes | {inRows:F0} B ({json / count} + {keys / count}) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| of which object headers, references and indexes | {perRow - inRows:F0} B |"));
        GC.KeepAlive(engine);
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    // The same object as scripts/bench-pipeline.py's config_map(i).
    private static JsonObject Object(int i) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = string.Create(CultureInfo.InvariantCulture, $"cm-{i:D6}"),
            ["namespace"] = "bench",
            ["uid"] = new Guid(i, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8).ToString(),
            ["resourceVersion"] = (100000 + i).ToString(CultureInfo.InvariantCulture),
            ["labels"] = new JsonObject { ["app"] = "bench", ["tier"] = string.Create(CultureInfo.InvariantCulture, $"t{i % 7}") },
        },
        ["data"] = new JsonObject
        {
            ["owner"] = string.Create(CultureInfo.InvariantCulture, $"team-{i % 13}"),
            ["image"] = string.Create(CultureInfo.InvariantCulture, $"registry.example/app-{i % 97}:1.{i % 50}.0"),
            ["replicas"] = (1 + (i % 5)).ToString(CultureInfo.InvariantCulture),
            ["note"] = "kollect pipeline benchmark object",
        },
    };
}
