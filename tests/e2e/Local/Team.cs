using System.Text.Json.Nodes;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// One application namespace as a scenario sets it up (SPEC §1): labelled ConfigMaps, a profile
/// and a target reading them, a Kafka sink, a NATS sink with its own stream, and an inventory.
/// </summary>
public sealed record Team(string Namespace)
{
    public const string Profile = "cm-profile";
    public const string Target = "cm-target";
    public const string KafkaSink = "kafka-sink";
    public const string NatsSink = "nats-sink";
    public const string Inventory = "inventory";

    /// <summary>The stream this team's NATS sink provisions (one per team, so reads never mix teams).</summary>
    public string NatsStream => "kollect_" + Namespace.Replace('-', '_');

    public string NatsSubject => "kollect.e2e." + Namespace;

    /// <summary>The <c>kollect-inventory</c> header value of this team's messages.</summary>
    public string InventoryHeader => $"{Namespace}/{Inventory}";

    /// <summary>The inventory's two refs of scenario (1): the Kafka sink as a string, the NATS sink as an object.</summary>
    public JsonNode[] DefaultRefs => [JsonValue.Create(KafkaSink)!, Manifests.Ref(NatsSink)];

    /// <summary>The objects whose state a failure report shows.</summary>
    public (string Kind, string? Namespace, string Name)[] WatchedObjects =>
    [
        ("KollectInventory", Namespace, Inventory),
        ("KollectTarget", Namespace, Target),
        ("KollectProfile", Namespace, Profile),
        ("KollectEventSink", Namespace, KafkaSink),
        ("KollectEventSink", Namespace, NatsSink),
    ];
}
