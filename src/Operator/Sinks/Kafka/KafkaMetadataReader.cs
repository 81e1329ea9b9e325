using Confluent.Kafka;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>Reads cluster metadata for a sink's topic within the sink's connect timeout.</summary>
internal static class KafkaMetadataReader
{
    /// <summary>
    /// Requests metadata for the sink's topic through the client behind <paramref name="handle"/>.
    /// </summary>
    /// <param name="earlyFailure">
    /// Completes when the client reports a connection failure (rejected login, TLS, all brokers
    /// down); the read then ends at once instead of waiting out the timeout.
    /// </param>
    /// <param name="afterRead">Runs once the metadata request itself has finished, even after an early return: the owner of <paramref name="handle"/> may be disposed only then.</param>
    public static async Task<(Metadata? Metadata, KafkaSinkError? Error)> ReadAsync(
        Handle handle, KafkaProducerConfiguration configuration, KafkaClientDiagnostics diagnostics,
        CancellationToken cancellationToken, Task? earlyFailure = null, Action? afterRead = null)
    {
        var admin = new DependentAdminClientBuilder(handle).Build();
        var read = Task.Run(() => admin.GetMetadata(configuration.Topic, configuration.ConnectTimeout), CancellationToken.None);
        // The admin client may only go once GetMetadata has returned, however this method ends.
        _ = read.ContinueWith(
            _ =>
            {
                admin.Dispose();
                afterRead?.Invoke();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        // WaitAsync rather than a Task.Delay on the token: the token may live as long as the
        // process, and every call would leave a registration on it.
        var first = earlyFailure is null
            ? await Task.WhenAny((Task)read).WaitAsync(cancellationToken).ConfigureAwait(false)
            : await Task.WhenAny(read, earlyFailure).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first != read)
        {
            var cause = diagnostics.LastConnectionError;
            return (null, KafkaErrorClassifier.Classify(
                cause?.Code ?? ErrorCode.Local_Transport, cause?.Reason ?? "connection failed", configuration.Topic));
        }

        try
        {
            var metadata = await read.ConfigureAwait(false);
            if (metadata.Brokers.Count == 0)
            {
                return (null, Unreachable(configuration, diagnostics, "the cluster advertised no brokers"));
            }

            return (metadata, null);
        }
        catch (KafkaException ex)
        {
            var cause = diagnostics.LastConnectionError;
            return (null, KafkaErrorClassifier.Classify(
                ex.Error.Code, configuration.Scrub(ex.Error.Reason), configuration.Topic, cause?.Code, cause?.Reason));
        }
    }

    private static KafkaSinkError Unreachable(KafkaProducerConfiguration configuration, KafkaClientDiagnostics diagnostics, string reason)
    {
        var cause = diagnostics.LastConnectionError;
        return KafkaErrorClassifier.Classify(ErrorCode.Local_Transport, reason, configuration.Topic, cause?.Code, cause?.Reason);
    }
}
