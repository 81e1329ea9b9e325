using System.Collections.Concurrent;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using LibraryNatsException = NATS.Client.Core.NatsException;
using NatsClient = NATS.Client.Core.NatsConnection;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// Publishes event envelopes to a NATS JetStream sink (SPEC §6.2) and runs its connection test
/// (SPEC §6.3), over NATS.Net (<c>NATS.Client.Core</c> + <c>NATS.Client.JetStream</c>). Connects
/// on first use; NATS.Net then keeps the connection alive (PING) and reconnects with backoff and
/// jitter, every dial through the endpoint guard.
/// </summary>
/// <remarks>
/// What this adapter adds to the library: the provisioning rules (create <c>{name, subjects:[subject]}</c>
/// when missing, never modify an existing stream, name the stream that already owns the subject),
/// the payload limit from the server's INFO checked before sending, and a bound of our own on every
/// call — NATS.Net waits for a lost connection until the caller's token ends the wait, so a publish
/// during an outage fails after <see cref="NatsSinkOptions.RequestTimeout"/> as a transient
/// <see cref="NatsFailureKind.Disconnected"/> instead of hanging. Failures are classified
/// <see cref="NatsException"/>s whose messages never carry a secret (SPEC §6.5).
/// </remarks>
public sealed partial class NatsEventPublisher : IAsyncDisposable
{
    /// <summary>Header that makes JetStream deduplicate retried publishes.</summary>
    public const string MessageIdHeader = "Nats-Msg-Id";

    // JetStream err_code values the adapter reacts to (nats-server errors.json).
    private const int JetStreamNotEnabledForAccount = 10039;
    private const int JetStreamNotEnabled = 10076;
    private const int StreamNotFoundCode = 10059;
    private const int StreamNameInUse = 10058;
    private const int SubjectsOverlap = 10065;

    private readonly NatsSinkOptions _options;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private NatsSession? _session;
    private bool _streamReady;
    private bool _disposed;

    /// <summary>Creates a publisher; checks the subject but does not connect yet.</summary>
    public NatsEventPublisher(NatsSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        NatsSubject.Validate(options.Subject, allowWildcards: false);
        _options = options;
        StreamName = NatsStreamName.Normalize(options.Stream);
    }

    /// <summary>The stream (normalised per SPEC §2.1) this publisher provisions and expects.</summary>
    public string StreamName { get; }

    /// <summary>True while the publisher's connection is open.</summary>
    public bool IsConnected => Volatile.Read(ref _session) is { } session && session.Connection.ConnectionState == NatsConnectionState.Open;

    /// <summary>How many times the publisher's connection was re-established after a loss.</summary>
    public int ReconnectCount => Volatile.Read(ref _session) is { } session ? Math.Max(0, session.Opened - 1) : 0;

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
        NatsSubject.Validate(subject, allowWildcards: false);
        NatsSession session = await ReadyAsync(cancellationToken).ConfigureAwait(false);

        List<KeyValuePair<string, string>> all = new(headers.Count + 1);
        all.AddRange(headers.Where(header => !string.Equals(header.Key, MessageIdHeader, StringComparison.OrdinalIgnoreCase)));
        all.Add(new(MessageIdHeader, messageId));

        // Checked before anything is sent: the server would answer an oversized message with
        // -ERR 'Maximum Payload Violation' and close the connection.
        long size = NatsMessageSize.Of(all, payload.Length);
        long max = session.MaxPayload;
        if (size > max)
        {
            throw new NatsException(
                NatsFailureKind.PayloadTooLarge,
                $"the message for subject '{subject}' is {size} bytes (headers + payload) but NATS at {session.Settings.Endpoint} accepts at most {max} bytes (max_payload); it was not sent");
        }

        NatsHeaders natsHeaders = [];
        foreach (KeyValuePair<string, string> header in all)
        {
            natsHeaders[header.Key] = header.Value;
        }

        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Closing);
        limit.CancelAfter(_options.RequestTimeout);
        NatsInFlightPublish inFlight = session.Track(subject, limit);
        try
        {
            PubAckResponse ack = await session.JetStream
                .PublishAsync(subject, payload, NatsRawSerializer<ReadOnlyMemory<byte>>.Default, opts: null, headers: natsHeaders, limit.Token)
                .ConfigureAwait(false);
            if (ack.Error is { } error)
            {
                throw FromApiError(session, error, $"publishing to subject '{subject}'");
            }

            return new NatsPublishResult(ack.Stream ?? string.Empty, ack.Seq, ack.Duplicate);
        }
        catch (Exception e) when (e is NatsJSPublishNoResponseException or NatsNoRespondersException)
        {
            // The stream vanished (or JetStream is restarting): check it again before the next attempt.
            _streamReady = false;
            throw new NatsException(
                NatsFailureKind.NoResponders,
                $"no JetStream stream captures subject '{subject}' (no responders); the stream may be missing or JetStream may still be starting");
        }
        catch (Exception e) when (e is OperationCanceledException or LibraryNatsException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            if (inFlight.Denied is { } denied)
            {
                throw PermissionDenied(session, denied);
            }

            if (e is NatsPayloadTooLargeException)
            {
                throw new NatsException(NatsFailureKind.PayloadTooLarge, $"the message for subject '{subject}' is larger than NATS at {session.Settings.Endpoint} accepts (max_payload); it was not sent");
            }

            ThrowIfClosed(session);
            string state = session.Connection.ConnectionState == NatsConnectionState.Open
                ? "no answer"
                : $"not connected to NATS at {session.Settings.Endpoint}, reconnecting";
            throw new NatsException(
                session.Connection.ConnectionState == NatsConnectionState.Open && e is OperationCanceledException ? NatsFailureKind.Timeout : NatsFailureKind.Disconnected,
                $"no PubAck for message {messageId} on subject '{subject}' within {Seconds(_options.RequestTimeout)} s ({state}). The message may have been stored; retrying with the same Nats-Msg-Id is safe",
                isTransient: true);
        }
        finally
        {
            session.Untrack(inFlight);
        }
    }

    /// <summary>
    /// The server's <c>max_payload</c> (headers and payload together) from its INFO, connecting
    /// first when needed; throws a classified <see cref="NatsException"/> when it cannot connect.
    /// </summary>
    public async Task<long> MaxPayloadAsync(CancellationToken cancellationToken)
    {
        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (await ConnectLockedAsync(cancellationToken).ConfigureAwait(false)).MaxPayload;
        }
        finally
        {
            _setup.Release();
        }
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
            await using NatsSession session = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            await ApiAsync(session, ct => session.JetStream.GetAccountInfoAsync(ct), "reading the JetStream account info", cancellationToken).ConfigureAwait(false);
            StreamInfo? stream = await PrepareStreamAsync(session, createIfMissing: false, cancellationToken).ConfigureAwait(false);
            return NatsProbeResult.Success(stream is null
                ? $"connected to NATS at {session.Settings.Endpoint}; JetStream stream '{StreamName}' does not exist yet and will be created for subject '{_options.Subject}'"
                : $"connected to NATS at {session.Settings.Endpoint}; JetStream stream '{StreamName}' captures subject '{_options.Subject}'");
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
            if (_session is not null)
            {
                await _session.DisposeAsync().ConfigureAwait(false);
                _session = null;
            }
        }
        finally
        {
            _setup.Release();
        }
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static NatsException PermissionDenied(NatsSession session, string serverError) =>
        new(NatsFailureKind.PermissionDenied, $"NATS at {session.Settings.Endpoint} denied the sink's user: '{serverError}'; grant the permission in the server's authorization settings");

    private void ThrowIfClosed(NatsSession session)
    {
        if (_disposed || session.Closing.IsCancellationRequested)
        {
            throw new NatsException(NatsFailureKind.Closed, $"the connection to NATS at {session.Settings.Endpoint} was closed");
        }
    }

    private async Task<NatsSession> ReadyAsync(CancellationToken cancellationToken)
    {
        await _setup.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            NatsSession session = await ConnectLockedAsync(cancellationToken).ConfigureAwait(false);
            if (!_streamReady)
            {
                await PrepareStreamAsync(session, createIfMissing: true, cancellationToken).ConfigureAwait(false);
                _streamReady = true;
            }

            return session;
        }
        finally
        {
            _setup.Release();
        }
    }

    // Callers hold _setup.
    private async Task<NatsSession> ConnectLockedAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            throw new NatsException(NatsFailureKind.Closed, "the NATS publisher was disposed");
        }

        if (_session is null)
        {
            Volatile.Write(ref _session, await ConnectAsync(cancellationToken).ConfigureAwait(false));
        }

        return _session!;
    }

    /// <summary>A new connected session; a failed first connect is classified and leaves nothing behind.</summary>
    private async Task<NatsSession> ConnectAsync(CancellationToken cancellationToken)
    {
        NatsSession session = new(NatsClientSettings.For(_options));
        try
        {
            using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(_options.ConnectTimeout);
            await session.Connection.ConnectAsync().AsTask().WaitAsync(limit.Token).ConfigureAwait(false);
            return session;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw NatsConnectFailure.Classify(e, session.Settings);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
