namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// Publishes event envelopes to a NATS JetStream sink (SPEC §6.2) and runs its connection test
/// (SPEC §6.3). Connects on first use; the connection then reconnects by itself.
/// </summary>
/// <remarks>
/// Failures are <see cref="NatsException"/>s whose <see cref="NatsException.IsTransient"/> tells the
/// caller whether retrying the same attempt (same message id) later can succeed.
/// </remarks>
public sealed class NatsEventPublisher : IAsyncDisposable
{
    private readonly NatsSinkOptions _options;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private NatsConnection? _connection;
    private JetStreamContext? _jetStream;
    private bool _streamReady;
    private bool _disposed;

    /// <summary>Creates a publisher; checks the subject but does not connect yet.</summary>
    public NatsEventPublisher(NatsSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        NatsProtocol.ValidateSubject(options.Subject, allowWildcards: false);
        _options = options;
        StreamName = NatsStreamName.Normalize(options.Stream);
    }

    /// <summary>The stream (normalised per SPEC §2.1) this publisher provisions and expects.</summary>
    public string StreamName { get; }

    /// <summary>
    /// Publishes one message with <paramref name="headers"/> and <c>Nats-Msg-Id</c> =
    /// <paramref name="messageId"/>, provisioning the stream first if needed, and waits for the PubAck.
    /// </summary>
    public Task<NatsPublishResult> PublishAsync(string subject, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> payload, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return PublishAsync(subject, headers.ToList(), payload, messageId, cancellationToken);
    }

    /// <summary>As the other overload, with the headers in the order given (SPEC §5 lists them in order).</summary>
    public async Task<NatsPublishResult> PublishAsync(string subject, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> payload, string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        JetStreamContext jetStream = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await jetStream.PublishAsync(subject, headers, payload, messageId, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsException e) when (e.Kind == NatsFailureKind.NoResponders)
        {
            // The stream vanished (or JetStream is restarting): check it again before the next attempt.
            _streamReady = false;
            throw;
        }
    }

    /// <summary>
    /// The server's <c>max_payload</c> (headers and payload together) from its INFO, connecting
    /// first when needed; throws a classified <see cref="NatsException"/> when it cannot connect.
    /// </summary>
    public async Task<long> MaxPayloadAsync(CancellationToken cancellationToken)
    {
        NatsConnection connection = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
        return connection.ServerInfo.MaxPayload;
    }

    /// <summary>
    /// The connection test of SPEC §6.3 on a fresh connection: connect (credentials, TLS), JetStream
    /// account info, and the stream lookup — it exists and captures the subject, or (ensure mode) it
    /// can be created. Creates nothing.
    /// </summary>
    public async Task<NatsProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using NatsConnection connection = await NatsConnection.ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
            JetStreamContext jetStream = new(connection, _options.RequestTimeout);
            await jetStream.GetAccountInfoAsync(cancellationToken).ConfigureAwait(false);
            JetStreamStreamInfo? stream = await jetStream
                .PrepareStreamAsync(StreamName, _options.Subject, _options.Provisioning, createIfMissing: false, cancellationToken)
                .ConfigureAwait(false);
            return NatsProbeResult.Success(stream is null
                ? $"connected to NATS at {connection.Endpoint}; JetStream stream '{StreamName}' does not exist yet and will be created for subject '{_options.Subject}'"
                : $"connected to NATS at {connection.Endpoint}; JetStream stream '{StreamName}' captures subject '{_options.Subject}'");
        }
        catch (NatsException e)
        {
            return NatsProbeResult.Failed(e);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _setup.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }
        }
        finally
        {
            _setup.Release();
        }
    }

    private async Task<JetStreamContext> ReadyAsync(CancellationToken cancellationToken)
    {
        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ConnectLockedAsync(cancellationToken).ConfigureAwait(false);
            if (!_streamReady)
            {
                await _jetStream!.PrepareStreamAsync(StreamName, _options.Subject, _options.Provisioning, createIfMissing: true, cancellationToken).ConfigureAwait(false);
                _streamReady = true;
            }

            return _jetStream!;
        }
        finally
        {
            _setup.Release();
        }
    }

    private async Task<NatsConnection> ConnectedAsync(CancellationToken cancellationToken)
    {
        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ConnectLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _setup.Release();
        }
    }

    // Callers hold _setup.
    private async Task<NatsConnection> ConnectLockedAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            throw new NatsException(NatsFailureKind.Closed, "the NATS publisher was disposed");
        }

        if (_connection is null)
        {
            _connection = await NatsConnection.ConnectAsync(_options, cancellationToken).ConfigureAwait(false);
            _jetStream = new JetStreamContext(_connection, _options.RequestTimeout);
        }

        return _connection;
    }
}
