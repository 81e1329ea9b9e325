using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Sinks;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// Sinks for <c>kollect export</c>: the <c>KollectEventSink</c> objects of the local configuration,
/// resolved against the Secrets among its manifests with the same resolver the operator uses.
/// Nobody probes them beforehand, so <see cref="SinkState.ConnectionVerified"/> is null and a
/// broken sink shows up as that ref's publish failure.
/// </summary>
public sealed class ManifestSinkDirectory(LocalConfiguration configuration, EventSinkResolverOptions options)
{
    private readonly EventSinkResolver _resolver = new(configuration.Secrets.Find, options);

    public Task<SinkState?> LookupAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var sink = configuration.Of(KollectEventSink.KindName).FirstOrDefault(s =>
            (string?)s["metadata"]?["namespace"] == @namespace && (string?)s["metadata"]?["name"] == name);
        return Task.FromResult(KollectModels.EventSink(sink) is { } typed ? new SinkState(typed, _resolver.Resolve(typed), null, null) : null);
    }
}
