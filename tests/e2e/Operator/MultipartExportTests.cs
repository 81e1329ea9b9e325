using System.Text;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>
/// Scenario (8) of issue #6 §5: a snapshot larger than the sink's message limit is split into
/// parts that each fit, with part markers and one generation (SPEC §4 partitioning).
/// </summary>
public sealed class MultipartExportTests : OperatorScenario
{
    private const int Limit = 4096;

    /// <summary>nats-server refuses anything larger than this (its real limit, announced in INFO).</summary>
    protected override int? NatsMaxPayload => Limit;

    [LocalOnlyFact("needs a nats-server with a 4 KiB max_payload of its own")]
    public async Task A_large_snapshot_is_split_into_parts_that_fit_the_limit()
    {
        var configMaps = Enumerable.Range(1, 24).ToDictionary(i => $"cm-{i:00}", i => $"{i:00}-" + new string((char)('a' + (i % 26)), 300));
        var team = await CreateTeamAsync("team-multipart", configMaps);
        Env.StartOperator();
        // NATS: limited by the server's max_payload. Kafka (1 MB limit): by the ref's maxExportBytes.
        await CreateInventoryAsync(team, "0s", Manifests.Ref(Team.KafkaSink, maxExportBytes: Limit), Manifests.Ref(Team.NatsSink));

        var published = await WaitForAsync(team, $"a complete multipart export of all {configMaps.Count} rows on each broker",
            p => Complete(p.Kafka)?.Sum(e => e.ItemCount) == configMaps.Count && Complete(p.Nats)?.Sum(e => e.ItemCount) == configMaps.Count);
        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            var parts = Complete(published.On(broker))!;
            Assert.True(parts.Count > 1, $"{broker}: expected several parts, got {parts.Count}");
            Assert.Single(parts.Select(p => p.Generation).Distinct());
            foreach (var part in parts)
            {
                var size = broker == Broker.Nats ? part.Message.Body.Length + Encoding.UTF8.GetByteCount(string.Concat(part.Message.Headers.Select(h => $"{h.Key}: {h.Value}\r\n"))) : part.PayloadLength;
                Assert.True(size <= Limit, $"{part}: {size} bytes exceed the {Limit}-byte limit");
            }
            // Together the parts hold every row once, in canonical order (each part's checksum is its own, verified per message).
            var all = parts.SelectMany(p => p.Items).Select(i => (string)i["name"]!).ToList();
            Assert.Equal(configMaps.Keys.Order(StringComparer.Ordinal), all);
        }
    }

    /// <summary>The last complete run of parts 1..n (same generation), or null.</summary>
    private static List<VerifiedEnvelope>? Complete(IReadOnlyList<VerifiedEnvelope> messages)
    {
        for (var end = messages.Count - 1; end >= 0; end--)
        {
            if (messages[end] is not { PartTotal: { } total, PartIndex: { } index } || index != total || end + 1 < total)
            {
                continue;
            }
            var run = messages.Skip(end + 1 - total).Take(total).ToList();
            if (run.Select((m, i) => m.PartIndex == i + 1 && m.PartTotal == total && m.Generation == run[0].Generation).All(ok => ok))
            {
                return run;
            }
        }
        return null;
    }
}
