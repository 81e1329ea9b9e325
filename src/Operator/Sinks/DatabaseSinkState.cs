using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Sinks;

/// <summary>
/// A <c>KollectDatabaseSink</c> as an exporter sees it (SPEC §2.5): the sink, its resolution against
/// its Secrets, and what its connection test last said (null when not tested, or in <c>kollect
/// export</c>). False blocks exports to that sink only (<c>SinkReachable=False</c>).
/// </summary>
public sealed record DatabaseSinkState(KollectDatabaseSink Sink, DatabaseSinkResolution Resolution, bool? ConnectionVerified, string? ConnectionMessage);

/// <summary>Finds a database sink by namespace and name; null when there is no such <c>KollectDatabaseSink</c>.</summary>
public delegate Task<DatabaseSinkState?> DatabaseSinkStateLookup(string @namespace, string name, CancellationToken cancellationToken);
