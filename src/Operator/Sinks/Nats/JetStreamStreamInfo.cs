namespace Kollect.Operator.Sinks.Nats;

/// <summary>The parts of a stream's info (<c>$JS.API.STREAM.INFO.&lt;name&gt;</c>) the sink needs.</summary>
/// <param name="Name">Stream name.</param>
/// <param name="Subjects">Subjects the stream captures (may hold wildcards).</param>
/// <param name="Messages">Messages currently stored.</param>
/// <param name="LastSequence">Sequence of the last stored message.</param>
public sealed record JetStreamStreamInfo(string Name, IReadOnlyList<string> Subjects, ulong Messages, ulong LastSequence)
{
    /// <summary>True when one of the stream's subjects matches <paramref name="subject"/>.</summary>
    public bool Captures(string subject) => Subjects.Any(pattern => NatsProtocol.SubjectMatches(pattern, subject));
}
