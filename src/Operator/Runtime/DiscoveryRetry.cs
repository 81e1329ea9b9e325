using Kollect.Operator.Kube;

namespace Kollect.Operator.Runtime;

/// <summary>
/// Discovery of one kind, retried with jittered backoff until the API server serves it (its CRD
/// may be installed after the operator starts) or <c>stopping</c> fires. The one place the
/// controllers and the collection feed resolve a kind's plural and scope.
/// </summary>
public static class DiscoveryRetry
{
    /// <summary>
    /// The kind's resource, or null when stopped first. Every failed attempt is reported to
    /// <paramref name="notServed"/> with the API server's message before the wait.
    /// </summary>
    public static async Task<KubeResource?> ResolveAsync(
        KubeClient client, GroupVersionKind kind, ExponentialBackoff backoff, Action<string> notServed, CancellationToken stopping)
    {
        for (var attempt = 0; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                return await client.Discovery.ResolveAsync(kind, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (e is KubeConfigException or KubeApiException or HttpRequestException or TimeoutException)
            {
                notServed(e.Message);
                try
                {
                    await Task.Delay(backoff.DelayWithJitter(attempt), stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }
        return null;
    }
}
