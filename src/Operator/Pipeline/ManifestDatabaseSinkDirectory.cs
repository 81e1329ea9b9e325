using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Sinks;

namespace Kollect.Operator.Pipeline;

/// <summary>
/// Database sinks for <c>kollect export</c>: the <c>KollectDatabaseSink</c> objects of the local
/// configuration, read into their generated type and resolved against the Secrets among its
/// manifests with the resolver the operator uses. Nobody tests them beforehand, so a broken sink
/// shows up as that ref's write failure.
/// </summary>
public sealed class ManifestDatabaseSinkDirectory(LocalConfiguration configuration, EventSinkResolverOptions options)
{
    private readonly DatabaseSinkResolver _resolver = new(configuration.Secrets.Find, options);

    public Task<DatabaseSinkState?> LookupAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        var sink = configuration.Of(KollectDatabaseSink.KindName)
            .Select(KollectModels.DatabaseSink)
            .FirstOrDefault(s => s?.Metadata.Namespace == @namespace && s.Metadata.Name == name);
        return Task.FromResult(sink is null ? null : new DatabaseSinkState(sink, _resolver.Resolve(sink), null, null));
    }
}
