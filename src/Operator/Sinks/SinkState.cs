using Kollect.Api.V1Alpha1;

namespace Kollect.Operator.Sinks;

/// <summary>
/// A <c>KollectEventSink</c> as an exporter sees it: the (defaulted) object, its resolution
/// against its Secrets, and what its connection test last said — <see cref="ConnectionVerified"/>
/// true/false from the sink's <c>ConnectionVerified</c> condition, null when not (yet) tested or
/// when nobody tests (the <c>kollect export</c> command). False blocks exports to that sink only
/// (SPEC §6.3: <c>SinkReachable=False</c>, <c>SinkUnreachable</c>).
/// </summary>
public sealed record SinkState(KollectEventSink Sink, EventSinkResolution Resolution, bool? ConnectionVerified, string? ConnectionMessage);

/// <summary>Finds a sink by namespace and name; null when there is no such <c>KollectEventSink</c>.</summary>
public delegate Task<SinkState?> SinkStateLookup(string @namespace, string name, CancellationToken cancellationToken);
