using System.Text.Json.Nodes;

namespace Kollect.Tests.E2e.Local;

/// <summary>
/// An event envelope (SPEC §5) whose export envelope payload (SPEC §4) passed
/// <see cref="EnvelopeVerifier"/>; the fields scenarios compare.
/// </summary>
public sealed record VerifiedEnvelope(
    PublishedMessage Message,
    string Cluster,
    string Namespace,
    DateTimeOffset Timestamp,
    string Checksum,
    long Generation,
    int? PartIndex,
    int? PartTotal,
    int ItemCount,
    DateTimeOffset ExportedAt,
    IReadOnlyList<JsonObject> Items,
    int PayloadLength)
{
    /// <summary><c>namespace/name</c> of each item, in envelope order.</summary>
    public IReadOnlyList<string> ItemNames => Items.Select(i => $"{(string?)i["namespace"]}/{(string?)i["name"]}").ToList();

    /// <summary>The item for object <paramref name="ns"/>/<paramref name="name"/>; fails when absent.</summary>
    public JsonObject Item(string ns, string name) =>
        Items.SingleOrDefault(i => (string?)i["namespace"] == ns && (string?)i["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"{Message}: no item for {ns}/{name}; items: {string.Join(", ", ItemNames)}");

    public override string ToString() =>
        $"{Message}: namespace {Namespace}, generation {Generation}, checksum {Checksum[..12]}…, part {PartIndex?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}/{PartTotal?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}, {ItemCount} items";
}
