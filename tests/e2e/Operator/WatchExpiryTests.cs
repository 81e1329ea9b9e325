using System.Text.Json.Nodes;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>
/// Scenario (9) of issue #6 §5: watches forced into <c>410 Gone</c> make the operator relist,
/// which must not re-export unchanged content (SPEC §7), and collection goes on afterwards.
/// </summary>
public sealed class WatchExpiryTests : OperatorScenario
{
    [LocalOnlyFact("forces a 410 with the test API server's fault injection (compact, drop watches)")]
    public async Task A_forced_410_relists_without_an_extra_message()
    {
        var configMaps = new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "two" };
        var team = await CreateTeamAsync("team-relist", configMaps);
        var @operator = Env.StartOperator();
        await CreateInventoryAsync(team, "0s");
        var before = await WaitForAsync(team, "the first export of both ConfigMaps on each broker",
            p => p.Kafka.Any(e => e.ItemCount == 2) && p.Nats.Any(e => e.ItemCount == 2));
        await QuietPeriodAsync();
        before = await ReadAsync(team);

        // Move the resourceVersion past every bookmark the operator holds (a ConfigMap no target
        // selects), forget the history and end every watch: each re-watch from an older
        // resourceVersion gets the 410 Expired ERROR event and must relist.
        await Env.Kube.CreateAsync(Manifests.ConfigMap(team.Namespace, "unselected", "x", collected: false));
        var faults = await Env.Kube.InjectFaultsAsync(new JsonObject { ["compact"] = true, ["dropWatches"] = true });
        Assert.True(faults["droppedWatches"]?.GetValue<int>() > 0, $"the operator held no watches to drop: {faults.ToJsonString()}\n{@operator.Excerpt()}");
        // Proof that the 410 path ran (its log line, e.g. "watch expired (410); relisting"), so
        // "no extra message" below is not passed by an operator that never relisted.
        await Eventually.WaitAsync(
            "the operator to log that a watch expired (410) and it relisted",
            () => Task.FromResult(@operator.Logs.FirstOrDefault(l => l.TryGetProperty("Message", out var m) && m.GetString() is { } text
                && text.Contains("410", StringComparison.Ordinal) && text.Contains("relist", StringComparison.OrdinalIgnoreCase)) is { ValueKind: System.Text.Json.JsonValueKind.Object } line ? (object)line : null),
            () => Env.DiagnosticsAsync(team.WatchedObjects));
        await QuietPeriodAsync();

        var afterRelist = await ReadAsync(team);
        Assert.True(afterRelist.Kafka.Count == before.Kafka.Count && afterRelist.Nats.Count == before.Nats.Count,
            $"the relist re-exported unchanged content:\nbefore: {before}\nafter: {afterRelist}\n{await Env.DiagnosticsAsync(team.WatchedObjects)}");

        // The relisted watches still deliver changes: exactly one new message per broker.
        await ChangeConfigMapAsync(team.Namespace, "alpha", "one, after the relist");
        configMaps["alpha"] = "one, after the relist";
        var changed = await WaitForAsync(team, "the change after the relist on each broker",
            p => p.Kafka.Count > before.Kafka.Count && p.Nats.Count > before.Nats.Count);
        await QuietPeriodAsync();
        changed = await ReadAsync(team);
        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            Assert.True(changed.On(broker).Count == before.On(broker).Count + 1, $"{broker}: expected exactly one new message after the change:\n{changed}");
            AssertRows(changed.On(broker)[^1], team, configMaps);
        }
    }
}
