namespace Kollect.Operator.Sinks.Nats;

/// <summary>The parts of <c>$JS.API.INFO</c> the connection test reports.</summary>
/// <param name="Streams">Streams in the account.</param>
/// <param name="Consumers">Consumers in the account.</param>
public sealed record JetStreamAccountInfo(long Streams, long Consumers);
