using System.Security.Cryptography;
using System.Text;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>Scenario (4) of issue #6 §5: a namespace whose objects are all deleted publishes an empty snapshot (SPEC §4).</summary>
public sealed class EmptyNamespaceTests : OperatorScenario
{
    [Fact]
    public async Task Deleting_every_object_publishes_itemCount_0()
    {
        var configMaps = new Dictionary<string, string> { ["alpha"] = "one", ["beta"] = "two" };
        var team = await CreateTeamAsync("team-empty", configMaps);
        Env.StartOperator();
        await CreateInventoryAsync(team, "0s");
        await WaitForAsync(team, "the export of both ConfigMaps on each broker",
            p => p.Kafka.Any(e => e.ItemCount == 2) && p.Nats.Any(e => e.ItemCount == 2));

        foreach (var name in configMaps.Keys)
        {
            await Env.Kube.DeleteAsync("ConfigMap", team.Namespace, name);
        }

        var emptied = await WaitForAsync(team, "an empty snapshot on each broker after the last delete",
            p => p.Kafka[^1].ItemCount == 0 && p.Nats[^1].ItemCount == 0);
        var emptyChecksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("[]")));
        foreach (var broker in new[] { Broker.Kafka, Broker.Nats })
        {
            var latest = emptied.On(broker)[^1];
            Assert.Empty(latest.Items);
            Assert.Equal(emptyChecksum, latest.Checksum);
            Assert.Equal(team.Namespace, latest.Namespace);
        }
        var status = await WaitForInventoryAsync(team, "status.itemCount 0", i => i["status"]?["itemCount"]?.GetValue<long>() == 0);
        Assert.Equal(emptyChecksum, (string?)SinkExport(status, Team.KafkaSink)?["lastChecksum"]);
    }
}
