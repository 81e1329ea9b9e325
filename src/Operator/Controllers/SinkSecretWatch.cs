using System.Text.Json.Nodes;
using Kollect.Operator.Kube;
using Kollect.Operator.Observability;
using Kollect.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Kollect.Operator.Controllers;

/// <summary>
/// Watches Secrets so that a changed password or CA re-tests the sinks that use it (SPEC §6.3).
/// Keeps nothing of a Secret but the watch's resourceVersion: each event only enqueues the sinks
/// whose references name that Secret, and the sink reconciler compares the resolved settings'
/// fingerprint to decide whether anything changed. <paramref name="references"/> names the Secrets of
/// one sink of the watched kind (event sinks when null).
/// </summary>
public sealed partial class SinkSecretWatch(
    KubeClient client, Func<IReadOnlyList<JsonObject>> sinks, Action<ObjectKey> enqueue, ILoggerFactory loggers,
    Func<JsonObject, IReadOnlyList<(string Namespace, string Name)>>? references = null)
{
    private readonly Func<JsonObject, IReadOnlyList<(string Namespace, string Name)>> _references = references ?? OperatorSinkDirectory.SecretReferences;
    private const int WatchTimeoutSeconds = 300;
    private readonly ILogger _log = loggers.CreateLogger("watch.secrets");

    /// <summary>Watches until <paramref name="stopping"/>; errors back off and resume, a 410 Gone starts over.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        string? resourceVersion = null;
        for (var attempt = 0; !stopping.IsCancellationRequested;)
        {
            try
            {
                if (resourceVersion is null)
                {
                    // A page of one item is enough for the current resourceVersion; changes made
                    // while not watching are caught by re-checking every sink that names a Secret.
                    resourceVersion = (await client.ListPageAsync(KubeResource.Secrets, null, new ListOptions { Limit = 1 }, stopping).ConfigureAwait(false)).ResourceVersion;
                    EnqueueWhere(_ => true);
                }

                await foreach (var change in client.WatchAsync(KubeResource.Secrets, null, resourceVersion, null, WatchTimeoutSeconds, stopping).ConfigureAwait(false))
                {
                    if (change.Type == "ERROR")
                    {
                        // Usually 410 Gone: the version is too old to resume from.
                        resourceVersion = null;
                        break;
                    }

                    resourceVersion = change.ResourceVersion ?? resourceVersion;
                    if (change.Type is "ADDED" or "MODIFIED" or "DELETED")
                    {
                        var secret = (KubeObjects.Namespace(change.Object) ?? "", KubeObjects.Name(change.Object) ?? "");
                        EnqueueWhere(references => references.Contains(secret));
                    }
                }

                attempt = 0;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or IOException or InvalidDataException)
            {
                if (e is KubeApiException { IsGone: true })
                {
                    resourceVersion = null;
                }

                WatchFailed(_log, e.Message);
                try
                {
                    await Task.Delay(backoff.DelayWithJitter(attempt++), stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void EnqueueWhere(Func<IReadOnlyList<(string Namespace, string Name)>, bool> matches)
    {
        foreach (var sink in sinks())
        {
            var named = _references(sink);
            if (named.Count > 0 && matches(named))
            {
                enqueue(ObjectKey.Of(sink));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "secret watch failed; retrying: {error}")]
    private static partial void WatchFailed(ILogger logger, string error);
}
