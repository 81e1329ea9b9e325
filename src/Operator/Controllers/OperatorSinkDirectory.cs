using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Runtime;
using Kollect.Operator.Sinks;

namespace Kollect.Operator.Controllers;

/// <summary>
/// The operator's view of its <c>KollectEventSink</c>s: a sink from the informer cache, resolved
/// against Secrets read from the API server (SPEC §2.1), with what its last connection test said
/// (SPEC §6.3). <see cref="FindAsync"/> is the <see cref="SinkStateLookup"/> the exporters use.
/// </summary>
public sealed class OperatorSinkDirectory(KubeClient client, EventSinkResolverOptions options, Func<string, JsonObject?> cachedSink)
{
    /// <summary>The condition whose status <see cref="SinkState.ConnectionVerified"/> reports.</summary>
    public const string ConnectionVerifiedCondition = "ConnectionVerified";

    /// <summary>The resolver options (endpoint policy, cross-namespace Secrets, timeout).</summary>
    public EventSinkResolverOptions Options => options;

    /// <summary>The sink <paramref name="namespace"/>/<paramref name="name"/> from the cache, resolved; null when there is none.</summary>
    public async Task<SinkState?> FindAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        if (cachedSink($"{@namespace}/{name}") is not { } sink)
        {
            return null;
        }

        var resolution = await ResolveAsync(sink, cancellationToken).ConfigureAwait(false);
        var condition = StatusConditions.Find(sink["status"]?["conditions"] as JsonArray, ConnectionVerifiedCondition);
        bool? verified = (string?)condition?["status"] switch
        {
            "True" => true,
            "False" => false,
            _ => null,
        };
        return new SinkState(sink, resolution, verified, (string?)condition?["message"]);
    }

    /// <summary>
    /// Fetches the Secrets <paramref name="sink"/> references (the resolver's lookup is synchronous),
    /// then resolves it. A Secret in another namespace is not even read unless
    /// <c>--allow-cross-namespace-secrets</c> is set (SPEC §6.5); the resolver then says why.
    /// </summary>
    public async Task<EventSinkResolution> ResolveAsync(JsonObject sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var sinkNamespace = KubeObjects.Namespace(sink) is { Length: > 0 } ns ? ns : "default";
        var fetched = new Dictionary<(string, string), IReadOnlyDictionary<string, byte[]>>();
        foreach (var (secretNamespace, secretName) in SecretReferences(sink))
        {
            if ((secretNamespace != sinkNamespace && !options.AllowCrossNamespaceSecrets) || fetched.ContainsKey((secretNamespace, secretName)))
            {
                continue;
            }

            var secret = await client.TryGetAsync(KubeResource.Secrets, secretNamespace, secretName, KubeJsonContext.Default.V1Secret, cancellationToken).ConfigureAwait(false);
            if (secret is not null)
            {
                fetched[(secretNamespace, secretName)] = secret.Data is { } data ? new Dictionary<string, byte[]>(data, StringComparer.Ordinal) : [];
            }
        }

        return new EventSinkResolver((n, m) => fetched.GetValueOrDefault((n, m)), options).Resolve(sink);
    }

    /// <summary>
    /// The Secrets a sink names (<c>spec.secretRef</c>, <c>spec.kafka.secretRef</c>,
    /// <c>spec.nats.secretRef</c>, <c>spec.tls.caSecretRef</c>) as namespace and name; a reference
    /// without a namespace means the sink's.
    /// </summary>
    public static IReadOnlyList<(string Namespace, string Name)> SecretReferences(JsonObject sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var sinkNamespace = KubeObjects.Namespace(sink) is { Length: > 0 } ns ? ns : "default";
        var spec = sink["spec"] as JsonObject;
        var references = new List<(string, string)>();
        foreach (var reference in new[] { spec?["secretRef"], spec?["kafka"]?["secretRef"], spec?["nats"]?["secretRef"], spec?["tls"]?["caSecretRef"] })
        {
            if (reference is JsonObject r && (string?)r["name"] is { Length: > 0 } name)
            {
                references.Add(((string?)r["namespace"] is { Length: > 0 } given ? given : sinkNamespace, name));
            }
        }

        return references;
    }
}
