using Kollect.Tests.E2e.Local;

namespace Kollect.Tests.E2e.Operator;

/// <summary>What the two brokers hold for one inventory, every message verified, in publish order per broker.</summary>
public sealed record Published(IReadOnlyList<VerifiedEnvelope> Kafka, IReadOnlyList<VerifiedEnvelope> Nats)
{
    public IReadOnlyList<VerifiedEnvelope> On(Broker broker) => broker == Broker.Kafka ? Kafka : Nats;

    public override string ToString() =>
        $"Kafka: {Kafka.Count} message(s) [{string.Join("; ", Kafka)}]\nNATS: {Nats.Count} message(s) [{string.Join("; ", Nats)}]";
}
