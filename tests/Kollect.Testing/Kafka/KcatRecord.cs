namespace Kollect.Testing.Kafka;

/// <summary>One message as kcat read it.</summary>
public sealed record KcatRecord(int Partition, long Offset, string? Key, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Payload);
