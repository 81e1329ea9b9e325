namespace Kollect.Operator.Sinks.Kafka;

/// <summary>Identifies one <c>KollectEventSink</c>; the producer pool keeps one producer per key (SPEC §6.1).</summary>
public readonly record struct KafkaSinkKey(string Namespace, string Name)
{
    /// <summary><c>namespace/name</c>.</summary>
    public override string ToString() => $"{Namespace}/{Name}";
}
