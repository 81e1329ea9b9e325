using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// A small NATS client connection (SPEC §6.2): INFO/CONNECT handshake with optional TLS upgrade,
/// keep-alive PINGs, request/reply over one wildcard inbox subscription, and automatic reconnect
/// with exponential backoff and jitter.
/// </summary>
/// <remarks>
/// While disconnected nothing is written: callers wait for the next session up to their own
/// timeout and then fail with a transient <see cref="NatsFailureKind.Disconnected"/>; requests in
/// flight when a session dies fail at once. Reconnects dial only the configured URL, never the
/// servers advertised in INFO <c>connect_urls</c>, so every dial passes the endpoint guard (SPEC §6.5).
/// </remarks>
public sealed class NatsConnection : IAsyncDisposable
{
    private const int DefaultPort = 4222;
    private const string InboxSid = "1";
    private static readonly byte[] s_ping = "PING\r\n"u8.ToArray();
    private static readonly byte[] s_pong = "PONG\r\n"u8.ToArray();

    private readonly NatsSinkOptions _options;
    private readonly string _host;
    private readonly int _port;
    private readonly bool _tlsByScheme;
    private readonly string _inboxPrefix;
    private readonly string _clientVersion;
    private readonly ConcurrentDictionary<string, PendingRequest> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposeCts = new();
    private Session? _session;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reconnectTask = Task.CompletedTask;
    private NatsServerInfo? _serverInfo;
    private string? _lastFailure;
    private long _nextToken;
    private int _reconnects;
    private int _disposed;

    private NatsConnection(NatsSinkOptions options)
    {
        _options = options;
        if (options.Auth.HasCreds)
        {
            throw new NatsException(
                NatsFailureKind.CredsNotSupported,
                "the sink's Secret has a 'creds' key (JWT + NKey); JWT/NKey creds are not supported yet. Use 'token' or 'username' + 'password' instead");
        }

        string url = options.Url.Trim();
        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        string scheme = schemeEnd < 0 ? "nats" : url[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("nats" or "tls"))
        {
            throw new NatsException(NatsFailureKind.InvalidConfiguration, $"NATS URL '{url}' has scheme '{scheme}'; use nats://host:port or tls://host:port");
        }

        if (!EndpointGuard.TrySplitEndpoint(url, out string host, out int? port, out string? error))
        {
            throw new NatsException(NatsFailureKind.InvalidConfiguration, error);
        }

        _host = host;
        _port = port ?? DefaultPort;
        _tlsByScheme = scheme == "tls";
        _inboxPrefix = "_INBOX." + RandomToken() + ".";
        _clientVersion = typeof(NatsConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }

    /// <summary><c>host:port</c> this connection dials.</summary>
    public string Endpoint => _host.Contains(':', StringComparison.Ordinal) ? $"[{_host}]:{_port}" : $"{_host}:{_port}";

    /// <summary>The INFO of the current (or last) session.</summary>
    public NatsServerInfo ServerInfo => Volatile.Read(ref _serverInfo) ?? throw new InvalidOperationException("not connected yet");

    /// <summary>True while a session is established.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _session is { IsClosed: false };
            }
        }
    }

    /// <summary>How many times a lost session was re-established.</summary>
    public int ReconnectCount => Volatile.Read(ref _reconnects);

    /// <summary>Connects, authenticates and subscribes the reply inbox; throws a classified <see cref="NatsException"/>.</summary>
    public static async Task<NatsConnection> ConnectAsync(NatsSinkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        NatsConnection connection = new(options);
        try
        {
            Session session = await connection.EstablishSessionAsync(cancellationToken).ConfigureAwait(false);
            if (!connection.Activate(session))
            {
                CloseSession(session, "the connection was disposed");
                throw new NatsException(NatsFailureKind.Closed, $"the connection to NATS at {connection.Endpoint} was closed while connecting");
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Publishes without waiting for anything but the socket write (core NATS, no acknowledgement).</summary>
    public async Task PublishAsync(string subject, IReadOnlyList<KeyValuePair<string, string>>? headers, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token);
        limit.CancelAfter(_options.RequestTimeout);
        Session session = await WaitForSessionAsync(limit.Token, cancellationToken).ConfigureAwait(false);
        byte[] frame = FormatChecked(session, subject, replyTo: null, headers, payload.Span);
        await WriteAsync(session, frame, pong: null, limit.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a request and waits for the first reply. No responders (status 503) and timeouts become
    /// classified <see cref="NatsException"/>s.
    /// </summary>
    public async Task<NatsMessage> RequestAsync(string subject, IReadOnlyList<KeyValuePair<string, string>>? headers, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token);
        limit.CancelAfter(timeout);
        Session session = await WaitForSessionAsync(limit.Token, cancellationToken).ConfigureAwait(false);

        string token = Interlocked.Increment(ref _nextToken).ToString(CultureInfo.InvariantCulture);
        byte[] frame = FormatChecked(session, subject, _inboxPrefix + token, headers, payload.Span);
        TaskCompletionSource<NatsMessage> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[token] = new PendingRequest(reply, session, subject);
        try
        {
            await WriteAsync(session, frame, pong: null, limit.Token).ConfigureAwait(false);
            NatsMessage message = await reply.Task.WaitAsync(limit.Token).ConfigureAwait(false);
            if (message.StatusCode == 503)
            {
                throw new NatsException(NatsFailureKind.NoResponders, $"no responders on subject '{subject}' at NATS {Endpoint}");
            }

            return message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfDisposed();
            throw new NatsException(NatsFailureKind.Timeout, $"no reply on subject '{subject}' from NATS at {Endpoint} within {timeout.TotalSeconds:0.###} s");
        }
        finally
        {
            _pending.TryRemove(token, out _);
        }
    }

    /// <summary>Round trip PING/PONG: proves the server has processed everything written before.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token);
        limit.CancelAfter(_options.RequestTimeout);
        Session session = await WaitForSessionAsync(limit.Token, cancellationToken).ConfigureAwait(false);
        TaskCompletionSource pong = new(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await WriteAsync(session, s_ping, pong, limit.Token).ConfigureAwait(false);
            await pong.Task.WaitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfDisposed();
            throw new NatsException(NatsFailureKind.Timeout, $"no PONG from NATS at {Endpoint} within {_options.RequestTimeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>Closes the socket, stops reconnecting and fails whatever still waits.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _disposeCts.Cancel();
        Session? session;
        lock (_gate)
        {
            session = _session;
            _session = null;
            _connected.TrySetCanceled();
        }

        if (session is not null)
        {
            CloseSession(session, "the connection was disposed");
            await session.Tasks().ConfigureAwait(false);
        }

        await _reconnectTask.ConfigureAwait(false);
        NatsException closed = new(NatsFailureKind.Closed, $"the connection to NATS at {Endpoint} was closed");
        foreach (string token in _pending.Keys)
        {
            if (_pending.TryRemove(token, out PendingRequest? pending))
            {
                pending.Reply.TrySetException(closed);
            }
        }
    }

    private byte[] FormatChecked(Session session, string subject, string? replyTo, IReadOnlyList<KeyValuePair<string, string>>? headers, ReadOnlySpan<byte> payload)
    {
        // Checked before anything is written: the server would answer an oversized message with
        // -ERR 'Maximum Payload Violation' and close the connection.
        long size = NatsProtocol.MessageSize(headers, payload.Length);
        long max = session.Info.MaxPayload;
        if (size > max)
        {
            throw new NatsException(
                NatsFailureKind.PayloadTooLarge,
                $"the message for subject '{subject}' is {size} bytes (headers + payload) but NATS at {Endpoint} accepts at most {max} bytes (max_payload); it was not sent");
        }

        return NatsProtocol.FormatPublish(subject, replyTo, headers, payload);
    }

    private async Task<Session> WaitForSessionAsync(CancellationToken limit, CancellationToken callerToken)
    {
        while (true)
        {
            ThrowIfDisposed();
            Session? session;
            Task connected;
            lock (_gate)
            {
                session = _session;
                connected = _connected.Task;
            }

            if (session is { IsClosed: false })
            {
                return session;
            }

            try
            {
                await connected.WaitAsync(limit).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
            {
                ThrowIfDisposed();
                throw new NatsException(
                    NatsFailureKind.Disconnected,
                    $"not connected to NATS at {Endpoint}; reconnecting (last error: {Volatile.Read(ref _lastFailure) ?? "none"})");
            }
        }
    }

    private async Task WriteAsync(Session session, byte[] frame, TaskCompletionSource? pong, CancellationToken cancellationToken)
    {
        await session.WriteLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (session.IsClosed)
            {
                throw LostBeforeWrite();
            }

            if (ReferenceEquals(frame, s_ping))
            {
                session.PongWaiters.Enqueue(pong);
            }

            // The session's token, not the caller's: a write cancelled half-way would corrupt the
            // protocol stream; the session token fires only when the session is dying anyway.
            await session.Stream.WriteAsync(frame, session.Cts.Token).ConfigureAwait(false);
            await session.Stream.FlushAsync(session.Cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LoseSession(session, Describe(e));
            throw LostBeforeWrite();
        }
        finally
        {
            session.WriteLock.Release();
        }
    }

    private NatsException LostBeforeWrite() =>
        new(NatsFailureKind.Disconnected, $"the connection to NATS at {Endpoint} was lost before the message was written (last error: {Volatile.Read(ref _lastFailure) ?? "none"})");

    /// <summary>Makes <paramref name="session"/> current; false (and nothing started) once disposed.</summary>
    private bool Activate(Session session)
    {
        // Under the gate with the disposed check, so DisposeAsync either sees this session or it is never started.
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) == 1)
            {
                return false;
            }

            _session = session;
            Volatile.Write(ref _serverInfo, session.Info);
            session.ReaderTask = Task.Run(() => ReadLoopAsync(session));
            session.PingTask = Task.Run(() => PingLoopAsync(session));
            _connected.TrySetResult();
            return true;
        }
    }

    private async Task ReadLoopAsync(Session session)
    {
        try
        {
            while (true)
            {
                NatsServerOp op = await session.Reader.ReadAsync(session.Cts.Token).ConfigureAwait(false);
                switch (op.Kind)
                {
                    case NatsServerOpKind.Ping:
                        await WriteAsync(session, s_pong, pong: null, session.Cts.Token).ConfigureAwait(false);
                        break;
                    case NatsServerOpKind.Pong:
                        Interlocked.Exchange(ref session.PingsOutstanding, 0);
                        if (session.PongWaiters.TryDequeue(out TaskCompletionSource? waiter))
                        {
                            waiter?.TrySetResult();
                        }

                        break;
                    case NatsServerOpKind.Message:
                        Deliver(op.Message!);
                        break;
                    case NatsServerOpKind.Info:
                        session.Info = NatsServerInfo.Parse(op.Text!);
                        Volatile.Write(ref _serverInfo, session.Info);
                        break;
                    case NatsServerOpKind.Error:
                        // Fatal errors are followed by the server closing the socket; the read then fails.
                        Volatile.Write(ref _lastFailure, $"server error '{op.Text}'");
                        FailDeniedRequests(session, op.Text ?? string.Empty);
                        break;
                    case NatsServerOpKind.Ok:
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or NatsException)
        {
            LoseSession(session, Describe(e));
        }
    }

    private void Deliver(NatsMessage message)
    {
        if (message.Sid == InboxSid
            && message.Subject.StartsWith(_inboxPrefix, StringComparison.Ordinal)
            && _pending.TryRemove(message.Subject[_inboxPrefix.Length..], out PendingRequest? pending))
        {
            pending.Reply.TrySetResult(message);
        }
    }

    // A permissions violation keeps the connection open but the request will never be answered:
    // fail the affected requests now with the reason instead of letting them time out.
    private void FailDeniedRequests(Session session, string serverError)
    {
        const string Prefix = "Permissions Violation for ";
        if (!serverError.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        int open = serverError.IndexOf('"', StringComparison.Ordinal);
        int close = serverError.LastIndexOf('"');
        string deniedSubject = open >= 0 && close > open ? serverError[(open + 1)..close] : string.Empty;
        bool subscription = serverError.AsSpan(Prefix.Length).StartsWith("Subscription", StringComparison.OrdinalIgnoreCase);
        NatsException denied = new(
            NatsFailureKind.PermissionDenied,
            $"NATS at {Endpoint} denied the sink's user: '{serverError}'; grant the permission in the server's authorization settings");
        foreach (KeyValuePair<string, PendingRequest> entry in _pending)
        {
            bool affected = ReferenceEquals(entry.Value.Session, session)
                && (subscription || string.Equals(entry.Value.Subject, deniedSubject, StringComparison.Ordinal));
            if (affected && _pending.TryRemove(entry.Key, out PendingRequest? pending))
            {
                pending.Reply.TrySetException(denied);
            }
        }
    }

    private async Task PingLoopAsync(Session session)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.PingInterval, session.Cts.Token).ConfigureAwait(false);
                if (Interlocked.Increment(ref session.PingsOutstanding) > _options.MaxPingsOutstanding)
                {
                    LoseSession(session, $"no PONG for {_options.MaxPingsOutstanding} keep-alive PINGs");
                    return;
                }

                await WriteAsync(session, s_ping, pong: null, session.Cts.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (session.Cts.IsCancellationRequested)
        {
            // The session ended; whoever ended it handles reconnecting.
        }
        catch (NatsException e) when (e.Kind == NatsFailureKind.Disconnected)
        {
            // WriteAsync already recorded the loss and started reconnecting.
        }
    }

    private void LoseSession(Session session, string reason)
    {
        if (!CloseSession(session, reason))
        {
            return;
        }

        Volatile.Write(ref _lastFailure, reason);
        lock (_gate)
        {
            if (ReferenceEquals(_session, session))
            {
                _session = null;
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            if (Volatile.Read(ref _disposed) == 0)
            {
                _reconnectTask = Task.Run(ReconnectLoopAsync);
            }
        }

        NatsException lost = new(
            NatsFailureKind.Disconnected,
            $"the connection to NATS at {Endpoint} was lost ({reason}) while waiting for a reply; the request may or may not have been processed");
        foreach (KeyValuePair<string, PendingRequest> entry in _pending)
        {
            if (ReferenceEquals(entry.Value.Session, session) && _pending.TryRemove(entry.Key, out PendingRequest? pending))
            {
                pending.Reply.TrySetException(lost);
            }
        }
    }

    private static bool CloseSession(Session session, string reason)
    {
        if (Interlocked.Exchange(ref session.Closed, 1) == 1)
        {
            return false;
        }

        session.Cts.Cancel();
        session.Stream.Dispose();
        NatsException lost = new(NatsFailureKind.Disconnected, $"the connection was lost ({reason}) before the PONG arrived");
        while (session.PongWaiters.TryDequeue(out TaskCompletionSource? waiter))
        {
            waiter?.TrySetException(lost);
        }

        return true;
    }

    private async Task ReconnectLoopAsync()
    {
        for (int attempt = 0; !_disposeCts.IsCancellationRequested; attempt++)
        {
            try
            {
                TimeSpan delay = NatsReconnectBackoff.Delay(attempt, _options.ReconnectDelayMin, _options.ReconnectDelayMax, Random.Shared.NextDouble());
                await Task.Delay(delay, _disposeCts.Token).ConfigureAwait(false);
                Session session = await EstablishSessionAsync(_disposeCts.Token).ConfigureAwait(false);
                if (Activate(session))
                {
                    Interlocked.Increment(ref _reconnects);
                }
                else
                {
                    CloseSession(session, "the connection was disposed");
                }

                return;
            }
            catch (OperationCanceledException) when (_disposeCts.IsCancellationRequested)
            {
                return;
            }
            catch (NatsException e)
            {
                Volatile.Write(ref _lastFailure, e.Message);
            }
        }
    }

    private async Task<Session> EstablishSessionAsync(CancellationToken cancellationToken)
    {
        using CancellationTokenSource limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token);
        limit.CancelAfter(_options.ConnectTimeout);
        string stage = "resolving the host";
        Socket? socket = null;
        Stream? stream = null;
        string? tlsProblem = null;
        bool tlsUsed = false;
        try
        {
            IPAddress[] addresses = await EndpointGuard.ResolveAllowedAddressesAsync(_host, _options.EndpointPolicy, limit.Token).ConfigureAwait(false);
            stage = "connecting";
            socket = await DialAsync(addresses, limit.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            NatsFrameReader reader = new(stream);

            stage = "waiting for INFO";
            NatsServerOp first = await reader.ReadAsync(limit.Token).ConfigureAwait(false);
            if (first.Kind != NatsServerOpKind.Info)
            {
                throw new NatsException(NatsFailureKind.ProtocolError, $"NATS at {Endpoint} did not start with INFO; is this a NATS server?");
            }

            NatsServerInfo info = NatsServerInfo.Parse(first.Text!);
            bool tlsWanted = _tlsByScheme || _options.Tls.Enabled;
            if (tlsWanted && !info.TlsRequired)
            {
                throw new NatsException(NatsFailureKind.TlsFailed, $"the sink requires TLS but NATS at {Endpoint} does not offer it (INFO tls_required is false)");
            }

            if (info.TlsRequired)
            {
                stage = "the TLS handshake";
                tlsUsed = true;
                SslStream tls = new(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(CreateTlsOptions(problem => tlsProblem = problem), limit.Token).ConfigureAwait(false);
                reader = new NatsFrameReader(tls);
            }

            if (!info.HeadersSupported)
            {
                throw new NatsException(NatsFailureKind.ProtocolError, $"NATS at {Endpoint} (version {info.Version}) does not support headers; JetStream publishing needs NATS 2.2 or later");
            }

            stage = "CONNECT";
            await stream.WriteAsync(NatsProtocol.FormatConnect(_options, info.TlsRequired, _clientVersion), limit.Token).ConfigureAwait(false);
            await stream.FlushAsync(limit.Token).ConfigureAwait(false);
            while (true)
            {
                NatsServerOp op = await reader.ReadAsync(limit.Token).ConfigureAwait(false);
                if (op.Kind == NatsServerOpKind.Pong)
                {
                    break;
                }

                if (op.Kind == NatsServerOpKind.Error)
                {
                    throw RefusedConnect(op.Text ?? string.Empty);
                }

                if (op.Kind == NatsServerOpKind.Ping)
                {
                    await stream.WriteAsync(s_pong, limit.Token).ConfigureAwait(false);
                }
            }

            await stream.WriteAsync(NatsProtocol.FormatSubscribe(_inboxPrefix + "*", InboxSid), limit.Token).ConfigureAwait(false);
            await stream.FlushAsync(limit.Token).ConfigureAwait(false);
            return new Session(stream, reader, info);
        }
        catch (Exception e)
        {
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket?.Dispose();
            }

            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw ClassifyConnectFailure(e, stage, tlsUsed, tlsProblem);
        }
    }

    private async Task<Socket> DialAsync(IPAddress[] addresses, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (IPAddress address in addresses)
        {
            Socket socket = new(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, _port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private SslClientAuthenticationOptions CreateTlsOptions(Action<string> reportProblem)
    {
        NatsTlsOptions tls = _options.Tls;
        X509Certificate2Collection? trustedCas = null;
        if (tls.CaPem is not null && !tls.InsecureSkipVerify)
        {
            trustedCas = [];
            trustedCas.ImportFromPem(tls.CaPem);
            if (trustedCas.Count == 0)
            {
                throw new NatsException(NatsFailureKind.InvalidConfiguration, "the sink's CA bundle (tls.caBundle / caSecretRef) contains no PEM certificate");
            }
        }

        X509Certificate2Collection clientCertificates = [];
        if (tls.ClientCertificatePem is not null || tls.ClientKeyPem is not null)
        {
            if (tls.ClientCertificatePem is null || tls.ClientKeyPem is null)
            {
                throw new NatsException(NatsFailureKind.InvalidConfiguration, "the sink's Secret has only one of tls.crt and tls.key; a client certificate needs both");
            }

            try
            {
                clientCertificates.Add(X509Certificate2.CreateFromPem(tls.ClientCertificatePem, tls.ClientKeyPem));
            }
            catch (CryptographicException e)
            {
                throw new NatsException(NatsFailureKind.InvalidConfiguration, "the client certificate or key in the sink's Secret (tls.crt / tls.key) is not a valid PEM certificate and matching private key", e);
            }
        }

        return new SslClientAuthenticationOptions
        {
            TargetHost = _host,
            ClientCertificates = clientCertificates,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                string? problem = tls.InsecureSkipVerify ? null : CheckServerCertificate(certificate as X509Certificate2, errors, trustedCas);
                if (problem is not null)
                {
                    reportProblem(problem);
                }

                return problem is null;
            },
        };
    }

    private string? CheckServerCertificate(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2Collection? trustedCas)
    {
        if (certificate is null)
        {
            return "the server presented no certificate";
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return $"the server certificate is not valid for host '{_host}' (name mismatch)";
        }

        if (trustedCas is null)
        {
            return errors == SslPolicyErrors.None ? null : $"the server certificate is not trusted by the system CA store ({errors}); set tls.caBundle or tls.caSecretRef";
        }

        using X509Chain chain = new();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain.Build(certificate))
        {
            return null;
        }

        string statuses = string.Join(", ", chain.ChainStatus.Select(status => status.Status.ToString()).Distinct());
        return $"the server certificate is not signed by the configured CA ({statuses})";
    }

    private NatsException RefusedConnect(string serverError)
    {
        bool auth = serverError.Contains("authorization", StringComparison.OrdinalIgnoreCase)
            || serverError.Contains("authentication", StringComparison.OrdinalIgnoreCase)
            || serverError.Contains("user", StringComparison.OrdinalIgnoreCase);
        return auth
            ? new NatsException(
                NatsFailureKind.AuthenticationFailed,
                $"NATS at {Endpoint} rejected the credentials ('{serverError}'); check 'token' or 'username'/'password' in the sink's Secret")
            : new NatsException(NatsFailureKind.ConnectionFailed, $"NATS at {Endpoint} refused the connection: '{serverError}'");
    }

    private NatsException ClassifyConnectFailure(Exception e, string stage, bool tlsUsed, string? tlsProblem)
    {
        if (e is NatsException nats)
        {
            return nats;
        }

        if (e is EndpointDeniedException denied)
        {
            return new NatsException(NatsFailureKind.EndpointDenied, denied.Message, denied);
        }

        // With TLS 1.3 a refused client certificate shows only after the client's side of the
        // handshake, as the server closing the connection in answer to CONNECT.
        if (tlsProblem is not null || e is AuthenticationException || (tlsUsed && e is IOException))
        {
            string detail = tlsProblem ?? (e is AuthenticationException ? "handshake rejected" : "the server closed the connection; does it require a client certificate (tls.crt / tls.key)?");
            return new NatsException(NatsFailureKind.TlsFailed, $"TLS with NATS at {Endpoint} failed: {detail}", e);
        }

        if (e is OperationCanceledException)
        {
            return new NatsException(NatsFailureKind.Timeout, $"connecting to NATS at {Endpoint} timed out after {_options.ConnectTimeout.TotalSeconds:0.###} s while {stage}", e);
        }

        if (e is SocketException socket && stage == "resolving the host")
        {
            return new NatsException(NatsFailureKind.ConnectionFailed, $"cannot resolve NATS host '{_host}' ({socket.SocketErrorCode})", e);
        }

        return new NatsException(NatsFailureKind.ConnectionFailed, $"cannot connect to NATS at {Endpoint} while {stage}: {Describe(e)}", e);
    }

    private static string Describe(Exception e) => e switch
    {
        EndOfStreamException => "the server closed the connection",
        SocketException socket => socket.SocketErrorCode.ToString(),
        IOException { InnerException: SocketException socket } => socket.SocketErrorCode.ToString(),
        OperationCanceledException or ObjectDisposedException => "the connection was closed",
        _ => e.Message,
    };

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new NatsException(NatsFailureKind.Closed, $"the connection to NATS at {Endpoint} was closed");
        }
    }

    private static string RandomToken()
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return RandomNumberGenerator.GetString(alphabet, 22);
    }

    private sealed record PendingRequest(TaskCompletionSource<NatsMessage> Reply, Session Session, string Subject);

    private sealed class Session(Stream stream, NatsFrameReader reader, NatsServerInfo info)
    {
        public int Closed;
        public int PingsOutstanding;

        public Stream Stream { get; } = stream;

        public NatsFrameReader Reader { get; } = reader;

        public NatsServerInfo Info { get; set; } = info;

        public SemaphoreSlim WriteLock { get; } = new(1, 1);

        public CancellationTokenSource Cts { get; } = new();

        public ConcurrentQueue<TaskCompletionSource?> PongWaiters { get; } = new();

        public Task? ReaderTask { get; set; }

        public Task? PingTask { get; set; }

        public bool IsClosed => Volatile.Read(ref Closed) == 1;

        public Task Tasks() => Task.WhenAll(ReaderTask ?? Task.CompletedTask, PingTask ?? Task.CompletedTask);
    }
}
