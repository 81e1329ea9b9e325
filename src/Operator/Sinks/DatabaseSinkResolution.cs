using Kollect.Operator.Sinks.Common;
using Kollect.Operator.Sinks.Postgres;

namespace Kollect.Operator.Sinks;

/// <summary>
/// The writer settings of one <c>KollectDatabaseSink</c> (SPEC §2.5): exactly one of
/// <see cref="Postgres"/> or <see cref="Failure"/> is set.
/// </summary>
public sealed record DatabaseSinkResolution
{
    /// <summary>The resolve failure reason of a sink whose <c>spec.type</c> is not <c>postgres</c>.</summary>
    public const string UnsupportedSinkType = "UnsupportedSinkType";

    /// <summary><c>namespace/name</c> of the sink, for messages.</summary>
    public required string Sink { get; init; }

    /// <summary><c>spec.type</c>: <c>postgres</c>, <c>bigquery</c> or <c>mongodb</c>.</summary>
    public required string Type { get; init; }

    public PostgresSinkSettings? Postgres { get; init; }

    /// <summary>Why the sink could not be resolved (a <see cref="EventSinkResolveFailure"/> reason or <see cref="UnsupportedSinkType"/>); null on success.</summary>
    public EventSinkResolveFailure? Failure { get; init; }

    public bool Succeeded => Failure is null;
}
