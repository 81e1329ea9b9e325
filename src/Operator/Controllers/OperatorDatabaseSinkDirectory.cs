using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Sinks;

namespace Kollect.Operator.Controllers;

/// <summary>
/// The operator's view of its <c>KollectDatabaseSink</c>s (SPEC §2.5): a sink from the informer
/// cache, read into its generated type, resolved against Secrets read from the API server, with
/// what its last connection test said. <see cref="FindAsync"/> is the
/// <see cref="DatabaseSinkStateLookup"/> the exporter uses.
/// </summary>
public sealed class OperatorDatabaseSinkDirectory(KubeClient client, EventSinkResolverOptions options, Func<ObjectKey, JsonObject?> cachedSink)
{
    public async Task<DatabaseSinkState?> FindAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        if (KollectModels.DatabaseSink(cachedSink(new ObjectKey(@namespace, name))) is not { } sink)
        {
            return null;
        }

        var resolution = await ResolveAsync(sink, cancellationToken).ConfigureAwait(false);
        var condition = sink.Status?.Conditions?.FirstOrDefault(c => c.Type == OperatorSinkDirectory.ConnectionVerifiedCondition);
        bool? verified = condition?.Status switch
        {
            "True" => true,
            "False" => false,
            _ => null,
        };
        return new DatabaseSinkState(sink, resolution, verified, condition?.Message);
    }

    /// <summary>Fetches the Secrets the sink references (<see cref="SinkSecretFetch"/>), then resolves it.</summary>
    public async Task<DatabaseSinkResolution> ResolveAsync(KollectDatabaseSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var secrets = await SinkSecretFetch.FetchAsync(client, options, sink.Metadata.Namespace, SecretReferences(sink), cancellationToken).ConfigureAwait(false);
        return new DatabaseSinkResolver(secrets, options).Resolve(sink);
    }

    /// <summary>The Secrets a database sink names (<c>spec.postgres.databaseRef</c>, <c>spec.tls.caSecretRef</c>); no namespace means the sink's.</summary>
    public static IReadOnlyList<(string Namespace, string Name)> SecretReferences(KollectDatabaseSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var sinkNamespace = sink.Metadata.Namespace is { Length: > 0 } ns ? ns : "default";
        var references = new List<(string, string)>();
        foreach (var (name, secretNamespace) in new[] { (sink.Spec?.Postgres?.DatabaseRef.Name, sink.Spec?.Postgres?.DatabaseRef.Namespace), (sink.Spec?.Tls?.CaSecretRef?.Name, sink.Spec?.Tls?.CaSecretRef?.Namespace) })
        {
            if (name is { Length: > 0 })
            {
                references.Add((secretNamespace is { Length: > 0 } given ? given : sinkNamespace, name));
            }
        }

        return references;
    }

    /// <summary><see cref="SecretReferences(KollectDatabaseSink)"/> of a cached object; none when it does not read as a sink.</summary>
    public static IReadOnlyList<(string Namespace, string Name)> SecretReferences(JsonObject sink) =>
        KollectModels.DatabaseSink(sink) is { } typed ? SecretReferences(typed) : [];
}
