using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace Kollect.Operator.Sinks.Kafka;

/// <summary>
/// The Kafka connection test (SPEC §6.3): a metadata request for the sink's topic, verified only
/// when the brokers answer, accept the credentials, and every partition of the topic has a leader.
/// </summary>
/// <remarks>
/// Bounded by the sink's connect timeout; a rejected login, a failed TLS handshake or all brokers
/// down end the probe as soon as librdkafka reports them. Bootstrap and advertised brokers pass
/// the endpoint guard first (SPEC §6.5).
/// </remarks>
public sealed class KafkaConnectionProbe
{
    private readonly KafkaBrokerEndpointCheck? _endpointCheck;
    private readonly Action<string>? _log;

    /// <summary>Creates a probe.</summary>
    /// <param name="endpointCheck">The endpoint guard; null allows every broker.</param>
    /// <param name="log">Receives librdkafka warnings and errors, scrubbed of secrets.</param>
    public KafkaConnectionProbe(KafkaBrokerEndpointCheck? endpointCheck = null, Action<string>? log = null)
    {
        ShippedLibrdkafka.EnsureInstalled();
        _endpointCheck = endpointCheck;
        _log = log;
    }

    /// <summary>Runs one connection test for the sink.</summary>
    public async Task<KafkaProbeResult> ProbeAsync(KafkaSinkSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        KafkaProducerConfiguration configuration;
        try
        {
            configuration = KafkaProducerConfiguration.Derive(settings);
        }
        catch (KafkaSinkConfigurationException ex)
        {
            return new KafkaProbeResult { Error = KafkaErrorClassifier.FromConfiguration(ex) };
        }

        var result = new KafkaProbeResult { TlsInsecure = configuration.TlsInsecure, ProducerMaxMessageBytes = configuration.MessageMaxBytes };
        foreach (var broker in configuration.Brokers)
        {
            if (await DeniedAsync(broker, cancellationToken).ConfigureAwait(false) is { } why)
            {
                return result with { Error = KafkaErrorClassifier.EndpointRefused(broker, why, advertised: false) };
            }
        }

        var diagnostics = new KafkaClientDiagnostics(configuration, _log);
        IAdminClient admin;
        try
        {
            var builder = new AdminClientBuilder(configuration.AdminClientProperties)
                .SetErrorHandler((_, error) => diagnostics.OnError(error))
                .SetLogHandler((_, message) => diagnostics.OnLog(message));
            if (configuration.OAuthBearerToken is { } token)
            {
                builder.SetOAuthBearerTokenRefreshHandler((client, _) => KafkaStaticBearerToken.Refresh(client, token, TimeProvider.System));
            }

            admin = builder.Build();
        }
        catch (Exception ex) when (ex is KafkaException or ArgumentException or InvalidOperationException)
        {
            return result with { Error = KafkaErrorClassifier.Classify(ErrorCode.InvalidConfig, configuration.Scrub(ex.Message), configuration.Topic) };
        }

        // The admin client may only be disposed once its metadata request has returned, which
        // can be after an early return (login or TLS failure reported first).
        var readFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var (metadata, error) = await KafkaMetadataReader.ReadAsync(
                admin.Handle, configuration, diagnostics, cancellationToken, diagnostics.FirstConnectionFailure, readFinished.SetResult).ConfigureAwait(false);
            if (error is not null)
            {
                return result with { Error = error };
            }

            if (await CheckMetadataAsync(metadata!, configuration, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                return result with { Error = problem };
            }

            var partitions = metadata!.Topics.Single(t => t.Topic == configuration.Topic).Partitions.Count;
            return result with
            {
                PartitionCount = partitions,
                TopicMaxMessageBytes = await ReadTopicMaxMessageBytesAsync(admin, configuration).ConfigureAwait(false),
            };
        }
        finally
        {
            _ = readFinished.Task.ContinueWith(_ => admin.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private async Task<KafkaSinkError?> CheckMetadataAsync(Metadata metadata, KafkaProducerConfiguration configuration, CancellationToken cancellationToken)
    {
        var topic = configuration.Topic;
        foreach (var broker in metadata.Brokers)
        {
            var address = new KafkaBrokerAddress(broker.Host, broker.Port);
            if (await DeniedAsync(address, cancellationToken).ConfigureAwait(false) is { } why)
            {
                return KafkaErrorClassifier.EndpointRefused(address, why, advertised: true);
            }
        }

        var described = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
        if (described is null)
        {
            return KafkaErrorClassifier.Classify(ErrorCode.UnknownTopicOrPart, "not in the metadata response", topic);
        }

        if (described.Error.Code != ErrorCode.NoError)
        {
            return KafkaErrorClassifier.Classify(described.Error.Code, configuration.Scrub(described.Error.Reason), topic);
        }

        if (described.Partitions.Count == 0)
        {
            return KafkaErrorClassifier.Classify(ErrorCode.UnknownTopicOrPart, "the topic has no partitions", topic);
        }

        foreach (var partition in described.Partitions)
        {
            if (partition.Leader < 0 || partition.Error.Code != ErrorCode.NoError)
            {
                var code = partition.Error.Code == ErrorCode.NoError ? ErrorCode.LeaderNotAvailable : partition.Error.Code;
                return KafkaErrorClassifier.Classify(
                    code, $"partition {partition.PartitionId.ToString(CultureInfo.InvariantCulture)} has no leader", topic);
            }
        }

        return null;
    }

    private async Task<string?> DeniedAsync(KafkaBrokerAddress broker, CancellationToken cancellationToken) =>
        _endpointCheck is null ? null : await _endpointCheck(broker.Host, cancellationToken).ConfigureAwait(false);

    // Brokers that do not implement DescribeConfigs (librdkafka's mock cluster) never answer it;
    // a short bound keeps the probe quick there, and real brokers answer in milliseconds.
    private static TimeSpan DescribeConfigsTimeout(KafkaProducerConfiguration configuration) =>
        configuration.ConnectTimeout < TimeSpan.FromSeconds(2) ? configuration.ConnectTimeout : TimeSpan.FromSeconds(2);

    private static async Task<int?> ReadTopicMaxMessageBytesAsync(IAdminClient admin, KafkaProducerConfiguration configuration)
    {
        // Informational: brokers that do not answer DescribeConfigs (or deny DESCRIBE_CONFIGS)
        // leave the limit unknown, and producing reports MessageTooLarge if the topic is stricter.
        try
        {
            var resource = new ConfigResource { Type = ResourceType.Topic, Name = configuration.Topic };
            var results = await admin.DescribeConfigsAsync([resource], new DescribeConfigsOptions { RequestTimeout = DescribeConfigsTimeout(configuration) })
                .ConfigureAwait(false);
            if (results.Count == 1
                && results[0].Entries.TryGetValue("max.message.bytes", out var entry)
                && int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit))
            {
                return limit;
            }

            return null;
        }
        catch (KafkaException)
        {
            return null;
        }
    }
}
