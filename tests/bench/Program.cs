using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Kollect.Bench;
using Kollect.Operator.Collect;
using Kollect.Operator.Export;

// Export micro-benchmarks for SPEC §10 (scripts/bench.sh runs them and prints the table).
//   kollect-bench [--rows N] [--iterations N] [--postgres-dsn DSN] [--row-memory]
// With --postgres-dsn only the database sink export is measured (PostgresBenchmark); with
// --row-memory only the bytes per kept row from a heap count (RowMemory); with
// --nats-url [--messages N] [--payload-bytes B] [--label L] only the NATS sink's publish throughput
// (NatsPublishThroughput).
var rowCount = 10_000;
var iterations = 30;
string? postgresDsn = null;
var rowMemory = false;
string? natsUrl = null;
var natsMessages = 5000;
var natsPayloadBytes = 1024;
var natsLabel = "NATS sink";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rows" when i + 1 < args.Length:
            rowCount = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--iterations" when i + 1 < args.Length:
            iterations = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--postgres-dsn" when i + 1 < args.Length:
            postgresDsn = args[++i];
            break;
        case "--row-memory":
            rowMemory = true;
            break;
        case "--nats-url" when i + 1 < args.Length:
            natsUrl = args[++i];
            break;
        case "--messages" when i + 1 < args.Length:
            natsMessages = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--payload-bytes" when i + 1 < args.Length:
            natsPayloadBytes = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--label" when i + 1 < args.Length:
            natsLabel = args[++i];
            break;
        default:
            Console.Error.WriteLine($"kollect-bench: unknown argument '{args[i]}'; usage: kollect-bench [--rows N] [--iterations N] [--postgres-dsn DSN] [--row-memory] [--nats-url URL [--messages N] [--payload-bytes B] [--label L]]");
            return 2;
    }
}
if (rowCount < 1 || iterations < 1)
{
    Console.Error.WriteLine("kollect-bench: --rows and --iterations must be at least 1");
    return 2;
}
if (natsUrl is not null)
{
    return await NatsPublishThroughput.RunAsync(natsUrl, natsMessages, natsPayloadBytes, natsLabel);
}

if (rowMemory)
{
    RowMemory.Run(rowCount);
    return 0;
}
var warmup = Math.Max(3, iterations / 5);

var documents = new JsonDocument[rowCount];
for (var i = 0; i < rowCount; i++)
{
    documents[i] = JsonDocument.Parse(SyntheticObjects.Create(i));
}
var objectBytes = Enumerable.Range(0, Math.Min(rowCount, 1000)).Sum(i => (long)SyntheticObjects.Create(i).Length) * rowCount / Math.Min(rowCount, 1000);

// The row profile: a few fields per object, both path languages, optional where a kind lacks them.
var profile = new AttributeExtractor(
[
    new ProfileAttribute("app", "{.metadata.labels['app.kubernetes.io/name']}"),
    new ProfileAttribute("created", "$.metadata.creationTimestamp"),
    new ProfileAttribute("image", "$.spec.template.spec.containers[0].image", Optional: true),
    new ProfileAttribute("replicas", "$.spec.replicas", Optional: true),
    new ProfileAttribute("data", "$.data", Optional: true),
    new ProfileAttribute("containerCount", "cel:size(object.spec.template.spec.containers)", Optional: true),
]);
var jsonPathOnly = new AttributeExtractor(
[
    new ProfileAttribute("app", "{.metadata.labels['app.kubernetes.io/name']}"),
    new ProfileAttribute("image", "$.spec.template.spec.containers[0].image"),
    new ProfileAttribute("replicas", "$.spec.replicas"),
    new ProfileAttribute("labels", "$.metadata.labels"),
]);
var celOnly = new AttributeExtractor(
[
    new ProfileAttribute("name", "cel:object.metadata.name"),
    new ProfileAttribute("hasData", "cel:has(object.data)"),
    new ProfileAttribute("scaled", "cel:has(object.spec.replicas) && object.spec.replicas > 1", Optional: true),
    new ProfileAttribute("tier", "cel:object.metadata.labels.tier"),
    new ProfileAttribute("containerCount", "cel:size(object.spec.template.spec.containers)", Optional: true),
]);

ItemIdentity Identity(JsonElement obj)
{
    var metadata = obj.GetProperty("metadata");
    var apiVersion = obj.GetProperty("apiVersion").GetString()!;
    var slash = apiVersion.IndexOf('/');
    return new ItemIdentity("inventory", "all-apps",
        metadata.GetProperty("namespace").GetString()!, metadata.GetProperty("name").GetString()!,
        slash < 0 ? "" : apiVersion[..slash], apiVersion[(slash + 1)..],
        obj.GetProperty("kind").GetString()!, metadata.GetProperty("uid").GetString()!);
}

List<ItemRow> BuildRows()
{
    var built = new List<ItemRow>(rowCount);
    foreach (var document in documents)
    {
        var result = profile.Extract(document.RootElement);
        built.Add(ItemRow.Create(Identity(document.RootElement), result.Attributes ?? throw new InvalidOperationException(result.Failure)));
    }
    return built;
}

var rows = BuildRows();
CanonicalRowArray.Sort(rows);
if (postgresDsn is not null)
{
    return await PostgresBenchmark.RunAsync(postgresDsn, rows, iterations);
}

var arrayBytes = CanonicalRowArray.Length(rows, 0, rows.Count);
var output = new ArrayBufferWriter<byte>((int)arrayBytes + 1024);
var context = new EnvelopeContext("bench-cluster", "kollect-system", 1,
    new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero));
var shuffled = rows.OrderBy(r => r.Identity.Uid, StringComparer.Ordinal).ToList();
var sortScratch = new List<ItemRow>(rowCount);
var partCount = ExportPartitioner.Plan(rows, context, 1 << 20).Parts.Count;
string checksum = "";

var results = new List<Measurement>
{
    Measurement.Run("Canonical JSON + checksum (`CanonicalRowArray.WriteWithChecksum`)",
        $"{rowCount:N0} sorted rows, {arrayBytes:N0} B array", warmup, iterations, () =>
        {
            output.ResetWrittenCount();
            checksum = CanonicalRowArray.WriteWithChecksum(output, rows);
        }),
    Measurement.Run("Checksum only (`CanonicalRowArray.Checksum`)",
        $"{rowCount:N0} rows", warmup, iterations, () => checksum = CanonicalRowArray.Checksum(rows)),
    Measurement.Run("Canonical sort (`CanonicalRowArray.Sort`)",
        $"{rowCount:N0} rows, shuffled", warmup, iterations, () =>
        {
            sortScratch.Clear();
            sortScratch.AddRange(shuffled);
            CanonicalRowArray.Sort(sortScratch);
        }),
    Measurement.Run("Extraction, JSONPath (`AttributeExtractor.Extract`)",
        $"{rowCount:N0} objects × 4 JSONPath attributes", warmup, iterations, () => ExtractAll(jsonPathOnly)),
    Measurement.Run("Extraction, CEL (`AttributeExtractor.Extract`)",
        $"{rowCount:N0} objects × 5 CEL attributes", warmup, iterations, () => ExtractAll(celOnly)),
    Measurement.Run("Extraction + row build (mixed profile, `ItemRow.Create`)",
        $"{rowCount:N0} objects × 6 attributes (5 JSONPath, 1 CEL)", warmup, iterations, () => BuildRows()),
    Measurement.Run("Partition planning, 1 MiB parts (`ExportPartitioner.Plan`)",
        $"{rowCount:N0} rows → {partCount} parts (envelopes built)", warmup, iterations,
        () => ExportPartitioner.Plan(rows, context, 1 << 20)),
};

void ExtractAll(AttributeExtractor extractor)
{
    foreach (var document in documents)
    {
        var result = extractor.Extract(document.RootElement);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(result.Failure);
        }
    }
}

var runtime = RuntimeFeature.IsDynamicCodeSupported ? "JIT (Release)" : "NativeAOT";
Console.WriteLine($"<!-- kollect-bench: {runtime}, {Environment.Version}, rows {rowCount}, iterations {iterations}, warm-up {warmup}; " +
    $"synthetic objects ≈ {objectBytes:N0} B as JSON; row array {arrayBytes:N0} B (avg {arrayBytes / rowCount} B/row); checksum {checksum[..12]}… -->");
Console.WriteLine("| Benchmark | Workload | Median ms | p95 ms | Min ms | Allocated / run |");
Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
foreach (var m in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {m.Name} | {m.Workload} | {m.MedianMs:F2} | {m.P95Ms:F2} | {m.MinMs:F2} | {m.AllocatedBytes:N0} B |"));
}
Console.WriteLine($"\nRuntime: {runtime} ({System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}).");
return 0;
