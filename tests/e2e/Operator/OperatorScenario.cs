using System.Text.Json.Nodes;
using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>
/// Base of the scenarios of issue #6 §5: a fresh <see cref="ScenarioEnvironment"/> per test
/// (local mode, or a kind cluster with <c>KOLLECT_E2E_MODE=kind</c>), helpers to set up a <see cref="Team"/>, and reads of both brokers whose every message
/// passes <see cref="EnvelopeVerifier"/> before a scenario looks at it.
/// </summary>
[Collection(LocalModeCollection.Name)]
public abstract class OperatorScenario : IAsyncLifetime
{
    /// <summary>A value with characters Go escapes (&lt; &gt; &amp;) and non-ASCII it writes raw (SPEC §4).</summary>
    protected const string AwkwardValue = "<b>\"caf\u00e9\" & \u2713</b>";

    private readonly Dictionary<string, string> _uids = new(StringComparer.Ordinal);

    protected ScenarioEnvironment Env { get; private set; } = null!;

    /// <summary>nats-server's <c>max_payload</c> for this scenario (null: the server default, 1 MB; local mode only).</summary>
    protected virtual int? NatsMaxPayload => null;

    public async Task InitializeAsync() => Env = await ScenarioEnvironment.CreateAsync(NatsMaxPayload);

    public async Task DisposeAsync()
    {
        if (Env is not null)
        {
            await Env.DisposeAsync();
        }
    }

    /// <summary>
    /// Creates the namespace, the labelled ConfigMaps (name → <c>data.value</c>), the profile, the
    /// target and both sinks of a team; not the inventory (see <see cref="CreateInventoryAsync"/>).
    /// </summary>
    protected async Task<Team> CreateTeamAsync(string ns, IReadOnlyDictionary<string, string> configMaps, IReadOnlyDictionary<string, string>? namespaceLabels = null)
    {
        var team = new Team(ns);
        await Env.Kube.CreateAsync(Manifests.Namespace(ns, namespaceLabels));
        await CreateConfigMapsAsync(ns, configMaps);
        await Env.Kube.CreateAllAsync(
            Manifests.ConfigMapProfile(ns, Team.Profile),
            Manifests.Target(ns, Team.Target, Team.Profile),
            Manifests.KafkaSink(ns, Team.KafkaSink, Env.KafkaBootstrap, ScenarioEnvironment.KafkaTopic),
            Manifests.NatsSink(ns, Team.NatsSink, Env.NatsUrl, team.NatsSubject, team.NatsStream));
        return team;
    }

    protected async Task CreateConfigMapsAsync(string ns, IReadOnlyDictionary<string, string> configMaps)
    {
        foreach (var (name, value) in configMaps)
        {
            var created = await Env.Kube.CreateAsync(Manifests.ConfigMap(ns, name, value));
            _uids[$"{ns}/{name}"] = (string)created["metadata"]!["uid"]!;
        }
    }

    /// <summary>Creates the team's inventory; <paramref name="refs"/> default to <see cref="Team.DefaultRefs"/>.</summary>
    protected Task<JsonObject> CreateInventoryAsync(Team team, string exportMinInterval, params JsonNode[] refs) =>
        Env.Kube.CreateAsync(Manifests.Inventory(team.Namespace, Team.Inventory, exportMinInterval, refs.Length > 0 ? refs : team.DefaultRefs));

    /// <summary>Sets <c>data.value</c> of a ConfigMap.</summary>
    protected Task ChangeConfigMapAsync(string ns, string name, string value) =>
        Env.Kube.MergePatchAsync("ConfigMap", ns, name, new JsonObject { ["data"] = new JsonObject { ["value"] = value } });

    /// <summary>Waits until the team's target reports <paramref name="count"/> collected objects (<c>status.collectedCount</c>).</summary>
    protected async Task WaitForCollectedAsync(Team team, int count)
    {
        string last = "";
        await Eventually.WaitAsync(
            $"KollectTarget {team.Namespace}/{Team.Target} status.collectedCount = {count}",
            async () =>
            {
                var target = await Env.Kube.GetAsync("KollectTarget", team.Namespace, Team.Target);
                last = target?["status"]?.ToJsonString() ?? "(no status)";
                return target?["status"]?["collectedCount"]?.GetValue<long>() == count ? target : null;
            },
            () => Env.DiagnosticsAsync(team.WatchedObjects),
            () => last);
    }

    /// <summary>Everything both brokers hold for the team's inventory, each message verified.</summary>
    protected async Task<Published> ReadAsync(Team team) =>
        await ReadAsync(team.InventoryHeader, team.NatsStream);

    /// <summary>Everything both brokers hold for one inventory (<c>kollect-inventory</c> header on Kafka, its stream on NATS), verified.</summary>
    protected async Task<Published> ReadAsync(string inventoryHeader, string natsStream)
    {
        var kafka = (await Env.ReadKafkaAsync()).Where(m => m.Header("kollect-inventory") == inventoryHeader);
        var nats = Env.ReadNats(natsStream);
        return new Published(EnvelopeVerifier.VerifyAll(kafka, inventoryHeader), EnvelopeVerifier.VerifyAll(nats, inventoryHeader));
    }

    /// <summary>Polls both brokers until <paramref name="done"/> holds for what they hold.</summary>
    protected Task<Published> WaitForAsync(Team team, string what, Func<Published, bool> done, TimeSpan? timeout = null) =>
        WaitForAsync(team.InventoryHeader, team.NatsStream, what, done, () => Env.DiagnosticsAsync(team.WatchedObjects), timeout);

    protected async Task<Published> WaitForAsync(string inventoryHeader, string natsStream, string what, Func<Published, bool> done, Func<Task<string>> diagnostics, TimeSpan? timeout = null)
    {
        Published? last = null;
        return await Eventually.WaitAsync(
            what,
            async () =>
            {
                last = await ReadAsync(inventoryHeader, natsStream);
                return done(last) ? last : null;
            },
            diagnostics,
            () => last?.ToString() ?? "(nothing read yet)",
            timeout);
    }

    /// <summary>
    /// Lets the operator act on whatever it was given (reconciles, timers) before a scenario checks
    /// that nothing more was published. A wait, not a measurement: the check after it is on counts.
    /// </summary>
    protected static Task QuietPeriodAsync() => Task.Delay(TimeSpan.FromSeconds(2));

    /// <summary>The team's inventory as stored (status included).</summary>
    protected async Task<JsonObject> InventoryAsync(Team team) =>
        await Env.Kube.GetAsync("KollectInventory", team.Namespace, Team.Inventory)
        ?? throw new Xunit.Sdk.XunitException($"KollectInventory {team.Namespace}/{Team.Inventory} does not exist");

    /// <summary>Waits until the inventory's status satisfies <paramref name="done"/>.</summary>
    protected async Task<JsonObject> WaitForInventoryAsync(Team team, string what, Func<JsonObject, bool> done, TimeSpan? timeout = null)
    {
        string last = "";
        return await Eventually.WaitAsync(
            what,
            async () =>
            {
                var inventory = await InventoryAsync(team);
                last = inventory["status"]?.ToJsonString() ?? "(no status)";
                return done(inventory) ? inventory : null;
            },
            () => Env.DiagnosticsAsync(team.WatchedObjects),
            () => last,
            timeout);
    }

    /// <summary>Status of condition <paramref name="type"/> (<c>True</c>/<c>False</c>/<c>Unknown</c>), or null.</summary>
    protected static string? Condition(JsonObject resource, string type) => ConditionIn(resource["status"], type);

    /// <summary>Status of condition <paramref name="type"/> in the <c>conditions</c> of <paramref name="holder"/> (a status or a <c>sinkExports</c> entry), or null.</summary>
    protected static string? ConditionIn(JsonNode? holder, string type) =>
        holder?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == type)?["status"]?.GetValue<string>();

    /// <summary>The <c>status.sinkExports</c> entry named <c>event/&lt;sink&gt;</c>, or null.</summary>
    protected static JsonObject? SinkExport(JsonObject inventory, string sink) =>
        inventory["status"]?["sinkExports"]?.AsArray().FirstOrDefault(e => (string?)e?["name"] == $"event/{sink}")?.AsObject();

    /// <summary>
    /// Asserts the envelope holds exactly the given ConfigMaps of <paramref name="team"/> as rows of
    /// SPEC §3 (target, object, GVK from the profile, uid of the created object, attributes).
    /// </summary>
    protected void AssertRows(VerifiedEnvelope envelope, Team team, IReadOnlyDictionary<string, string> configMaps, string targetNamespace = "", string targetName = Team.Target)
    {
        var targetNs = targetNamespace.Length > 0 ? targetNamespace : team.Namespace;
        Assert.True(
            envelope.ItemNames.Order(StringComparer.Ordinal).SequenceEqual(configMaps.Keys.Select(n => $"{team.Namespace}/{n}").Order(StringComparer.Ordinal)),
            $"{envelope}: items [{string.Join(", ", envelope.ItemNames)}], expected the ConfigMaps [{string.Join(", ", configMaps.Keys)}] of {team.Namespace}");
        foreach (var (name, value) in configMaps)
        {
            var item = envelope.Item(team.Namespace, name);
            var what = $"{envelope}: item {team.Namespace}/{name} {item.ToJsonString()}";
            Assert.True((string?)item["targetNamespace"] == targetNs && (string?)item["targetName"] == targetName, $"{what}: target should be {targetNs}/{targetName}");
            Assert.True(item["group"] is null && (string?)item["version"] == "v1" && (string?)item["kind"] == "ConfigMap", $"{what}: GVK should be core v1 ConfigMap with group omitted");
            Assert.True((string?)item["uid"] == _uids[$"{team.Namespace}/{name}"], $"{what}: uid should be the created object's {_uids[$"{team.Namespace}/{name}"]}");
            Assert.True((string?)item["attributes"]?["value"] == value, $"{what}: attributes.value should be '{value}'");
        }
    }
}
