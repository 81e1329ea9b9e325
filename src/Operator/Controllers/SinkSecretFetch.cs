using Kollect.Operator.Kube;
using Kollect.Operator.Sinks;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Reads the Secrets a sink names from the API server before its resolver runs (the resolvers'
/// lookup is synchronous); shared by the event and the database sink directories. A Secret in
/// another namespace is not even read unless <c>--allow-cross-namespace-secrets</c> is set (SPEC
/// §6.5); the resolver then says why.
/// </summary>
internal static class SinkSecretFetch
{
    public static async Task<SinkSecretLookup> FetchAsync(
        KubeClient client, EventSinkResolverOptions options, string? sinkNamespace, IReadOnlyList<(string Namespace, string Name)> references, CancellationToken cancellationToken)
    {
        var home = sinkNamespace is { Length: > 0 } ns ? ns : "default";
        var fetched = new Dictionary<(string, string), IReadOnlyDictionary<string, byte[]>>();
        foreach (var (secretNamespace, secretName) in references)
        {
            if ((secretNamespace != home && !options.AllowCrossNamespaceSecrets) || fetched.ContainsKey((secretNamespace, secretName)))
            {
                continue;
            }

            var secret = await client.TryGetAsync(KubeResource.Secrets, secretNamespace, secretName, KubeJsonContext.Default.V1Secret, cancellationToken).ConfigureAwait(false);
            if (secret is not null)
            {
                fetched[(secretNamespace, secretName)] = secret.Data is { } data ? new Dictionary<string, byte[]>(data, StringComparer.Ordinal) : [];
            }
        }

        return (n, m) => fetched.GetValueOrDefault((n, m));
    }
}
