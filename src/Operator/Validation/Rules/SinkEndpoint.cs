namespace Kollect.Operator.Validation.Rules;

/// <summary>
/// One network destination of an event sink as written in the manifest: a Kafka broker
/// (<c>host:port</c>) or a NATS server URL, with the field it came from and its host and port.
/// </summary>
public sealed record SinkEndpoint(string Path, string Text, string Host, int Port);
