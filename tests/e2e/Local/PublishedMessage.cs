namespace Kollect.Tests.E2e.Local;

/// <summary>Where a message was read back from.</summary>
public enum Broker
{
    Kafka,
    Nats,
}

/// <summary>
/// One message as an independent client read it back from a broker: kcat for Kafka (key,
/// partition, headers, value), a JetStream stream read for NATS (subject, headers, data).
/// </summary>
/// <param name="Position">Kafka <c>partition/offset</c> or NATS stream sequence, for failure messages.</param>
public sealed record PublishedMessage(
    Broker Broker,
    string Position,
    string? Key,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body)
{
    /// <summary>The value of header <paramref name="name"/> (exact, case-sensitive), or null; fails when it occurs twice.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Key == name).Select(h => h.Value).ToList();
        Assert.True(values.Count <= 1, $"{this}: header {name} occurs {values.Count} times");
        return values.SingleOrDefault();
    }

    public override string ToString() => $"{Broker} message {Position}";
}
