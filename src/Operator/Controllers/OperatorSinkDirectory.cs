using System.Text.Json.Nodes;
using Kollect.Api.V1Alpha1;
using Kollect.Operator.Json;
using Kollect.Operator.Kube;
using Kollect.Operator.Sinks;

namespace Kollect.Operator.Controllers;

/// <summary>
/// The operator's view of its <c>KollectEventSink</c>s: a sink from the informer cache, resolved
/// against Secrets read from the API server (SPEC §2.1), with what its last connection test said
/// (SPEC §6.3). <see cref="FindAsync"/> is the <see cref="SinkStateLookup"/> the exporters use.
/// </summary>
public sealed class OperatorSinkDirectory(KubeClient client, EventSinkResolverOptions options, Func<ObjectKey, JsonObject?> cachedSink)
{
    /// <summary>The condition whose status <see cref="SinkState.ConnectionVerified"/> reports.</summary>
    public const string ConnectionVerifiedCondition = "ConnectionVerified";

    /// <summary>The resolver options (endpoint policy, cross-namespace Secrets, timeout).</summary>
    public EventSinkResolverOptions Options => options;

    /// <summary>The sink <paramref name="namespace"/>/<paramref name="name"/> from the cache, read into its model and resolved; null when there is none.</summary>
    public async Task<SinkState?> FindAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        if (KollectModels.EventSink(cachedSink(new ObjectKey(@namespace, name))) is not { } sink)
        {
            return null;
        }

        var resolution = await ResolveAsync(sink, cancellationToken).ConfigureAwait(false);
        var condition = sink.Status?.Conditions?.FirstOrDefault(c => c.Type == ConnectionVerifiedCondition);
        bool? verified = condition?.Status switch
        {
            "True" => true,
            "False" => false,
            _ => null,
        };
        return new SinkState(sink, resolution, verified, condition?.Message);
    }

    /// <summary>Fetches the Secrets <paramref name="sink"/> references (<see cref="SinkSecretFetch"/>), then resolves it.</summary>
    public async Task<EventSinkResolution> ResolveAsync(KollectEventSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var secrets = await SinkSecretFetch.FetchAsync(client, options, sink.Metadata.Namespace, SecretReferences(sink), cancellationToken).ConfigureAwait(false);
        return new EventSinkResolver(secrets, options).Resolve(sink);
    }

    /// <summary>
    /// The Secrets a sink names (<c>spec.secretRef</c>, <c>spec.kafka.secretRef</c>,
    /// <c>spec.nats.secretRef</c>, <c>spec.tls.caSecretRef</c>) as namespace and name; a reference
    /// without a namespace means the sink's.
    /// </summary>
    public static IReadOnlyList<(string Namespace, string Name)> SecretReferences(KollectEventSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var sinkNamespace = sink.Metadata.Namespace is { Length: > 0 } ns ? ns : "default";
        var spec = sink.Spec;
        var references = new List<(string, string)>();
        foreach (var (name, secretNamespace) in new[]
        {
            (spec?.SecretRef?.Name, spec?.SecretRef?.Namespace),
            (spec?.Kafka?.SecretRef?.Name, spec?.Kafka?.SecretRef?.Namespace),
            (spec?.Nats?.SecretRef?.Name, spec?.Nats?.SecretRef?.Namespace),
            (spec?.Tls?.CaSecretRef?.Name, spec?.Tls?.CaSecretRef?.Namespace),
        })
        {
            if (name is { Length: > 0 })
            {
                references.Add((secretNamespace is { Length: > 0 } given ? given : sinkNamespace, name));
            }
        }

        return references;
    }

    /// <summary><see cref="SecretReferences(KollectEventSink)"/> of a cached object; none when it does not read as a sink.</summary>
    public static IReadOnlyList<(string Namespace, string Name)> SecretReferences(JsonObject sink) =>
        KollectModels.EventSink(sink) is { } typed ? SecretReferences(typed) : [];
}
