using System.Diagnostics;
using System.Globalization;
using System.Text;
using Kollect.Operator.Export;
using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Bench;

/// <summary>
/// The database sink's export of one inventory (SPEC §2.5) against a real PostgreSQL
/// (<c>kollect-bench --postgres-dsn DSN</c>; scripts/bench.sh starts one with scripts/local-postgres.sh):
/// a first export of N rows into an empty table, then exports that change every payload, then one
/// that drops a tenth of the rows, each one transaction. Wall time, managed bytes allocated per export
/// and the process's peak RSS are printed as a Markdown table.
/// </summary>
internal static class PostgresBenchmark
{
    public static async Task<int> RunAsync(string dsn, IReadOnlyList<ItemRow> rows, int iterations)
    {
        if (!PostgresConnectionString.TryParse(dsn, out var connection, out var problem))
        {
            Console.Error.WriteLine($"kollect-bench: --postgres-dsn {problem}");
            return 2;
        }

        var table = "kollect_bench_" + Guid.NewGuid().ToString("N")[..8];
        var settings = new PostgresSinkSettings
        {
            Connection = connection,
            Schema = PostgresIdentifier.DefaultSchema,
            Table = table,
            EndpointPolicy = new EndpointPolicy(AllowPrivate: true, AllowLoopback: true),
        };
        await using var writer = new PostgresTableWriter(settings);
        var revisions = new[] { rows, Revise(rows, 1), Revise(rows, 2) };
        var first = await MeasureAsync(writer, rows);
        var replaced = new List<(double Ms, long Bytes)>();
        for (var i = 0; i < iterations; i++)
        {
            replaced.Add(await MeasureAsync(writer, revisions[1 + (i % 2)]));
        }

        var shrunk = await MeasureAsync(writer, revisions[1 + (iterations % 2)].Take(rows.Count - (rows.Count / 10)).ToList());
        await writer.WriteAsync(new DatabaseExport("bench", "bench", "bench", DateTimeOffset.UtcNow, []), default);
        var peak = PeakRssMiB();

        replaced.Sort();
        var median = replaced[replaced.Count / 2];
        var payload = rows.Sum(r => (long)r.JsonLength);
        Console.WriteLine($"<!-- kollect-bench --postgres-dsn: {rows.Count} rows, payload {payload:N0} B, {iterations} replacing exports, table {table} (emptied after) -->");
        Console.WriteLine("| Database sink export (one transaction, `PostgresTableWriter`) | Rows | Wall ms | Allocated / export |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| First export into an empty table (insert) | {rows.Count:N0} | {first.Ms:F0} | {first.Bytes:N0} B |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| Every payload changed (upsert), median of {iterations} (min {replaced[0].Ms:F0}, max {replaced[^1].Ms:F0}) | {rows.Count:N0} | {median.Ms:F0} | {median.Bytes:N0} B |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| A tenth of the objects gone (upsert + delete) | {rows.Count - (rows.Count / 10):N0} | {shrunk.Ms:F0} | {shrunk.Bytes:N0} B |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\nPeak RSS of the benchmark process (rows built, all exports): {peak:F1} MiB."));
        return 0;
    }

    private static async Task<(double Ms, long Bytes)> MeasureAsync(PostgresTableWriter writer, IReadOnlyList<ItemRow> rows)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var outcome = await writer.WriteAsync(new DatabaseExport("bench", "bench", "bench", DateTimeOffset.UtcNow, rows), default);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        if (!outcome.Written)
        {
            throw new InvalidOperationException(outcome.Message);
        }

        return (elapsed, allocated);
    }

    private static List<ItemRow> Revise(IReadOnlyList<ItemRow> rows, int revision) =>
        rows.Select(r => ItemRow.Create(r.Identity, Encoding.UTF8.GetBytes($$"""{"revision":{{revision}}}"""))).ToList();

    private static double PeakRssMiB()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
