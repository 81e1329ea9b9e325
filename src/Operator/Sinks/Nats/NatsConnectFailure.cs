using System.Net.Sockets;
using System.Security.Authentication;
using NATS.Client.Core;
using LibraryNatsException = NATS.Client.Core.NatsException;
using Kollect.Operator.Sinks.Common;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// Classifies a failed first connect of NATS.Net into a <see cref="NatsException"/> that says what
/// failed (guard, DNS, TCP, TLS and which check, credentials, timeout) for people and for the
/// status reason. NATS.Net reports most of these as one generic "can not connect" exception.
/// </summary>
internal static class NatsConnectFailure
{
    public static NatsException Classify(Exception failure, NatsClientSettings settings)
    {
        if (failure is NatsException ours)
        {
            return ours;
        }

        string endpoint = settings.Endpoint;
        foreach (Exception e in Chain(failure))
        {
            switch (e)
            {
                case NatsException nested:
                    return nested;
                case NatsServerException { IsAuthError: true } auth:
                    return new NatsException(
                        NatsFailureKind.AuthenticationFailed,
                        $"NATS at {endpoint} rejected the credentials ('{auth.Error}'); check {CredentialKeys(settings.Options.Auth)} in the sink's Secret",
                        isTransient: false);
                case NatsServerException refused:
                    return new NatsException(NatsFailureKind.ConnectionFailed, $"NATS at {endpoint} refused the connection: '{refused.Error}'");
            }
        }

        if (settings.TlsProblem is { } problem)
        {
            return new NatsException(NatsFailureKind.TlsFailed, $"TLS with NATS at {endpoint} failed: {problem}");
        }

        if (Chain(failure).Any(e => e is LibraryNatsException && e.Message.Contains("does not support TLS", StringComparison.OrdinalIgnoreCase)))
        {
            return new NatsException(NatsFailureKind.TlsFailed, $"the sink requires TLS but NATS at {endpoint} does not offer it (INFO tls_required is false)");
        }

        if (Chain(failure).Any(e => e is AuthenticationException))
        {
            return new NatsException(NatsFailureKind.TlsFailed, $"TLS with NATS at {endpoint} failed: handshake rejected");
        }

        switch (settings.Dialer.LastFailure)
        {
            case EndpointDeniedException denied:
                return new NatsException(NatsFailureKind.EndpointDenied, denied.Message, denied);
            case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData } dns:
                return new NatsException(NatsFailureKind.ConnectionFailed, $"cannot resolve NATS host '{settings.Host}' ({dns.SocketErrorCode})", dns);
            case SocketException { SocketErrorCode: SocketError.TimedOut } timedOut:
                return Timeout(settings, "connecting", timedOut);
            case SocketException socket:
                return new NatsException(NatsFailureKind.ConnectionFailed, $"cannot connect to NATS at {endpoint}: {socket.SocketErrorCode}", socket);
            case OperationCanceledException cancelled:
                return Timeout(settings, "connecting", cancelled);
        }

        if (failure is OperationCanceledException || Chain(failure).Any(e => e is TimeoutException or SocketException { SocketErrorCode: SocketError.TimedOut }))
        {
            return Timeout(settings, "waiting for the server's INFO and PONG", failure);
        }

        // With TLS 1.3 a refused client certificate shows only after the client's side of the
        // handshake, as the server closing the connection in answer to CONNECT.
        if (settings.TlsRequired)
        {
            return new NatsException(NatsFailureKind.TlsFailed, $"TLS with NATS at {endpoint} failed: the server closed the connection; does it require a client certificate (tls.crt / tls.key)?", failure); // not a Kollect field: Secret data keys
        }

        return new NatsException(NatsFailureKind.ConnectionFailed, $"cannot connect to NATS at {endpoint}: {Innermost(failure).Message}", failure);
    }

    private static NatsException Timeout(NatsClientSettings settings, string stage, Exception inner) =>
        new(NatsFailureKind.Timeout, $"connecting to NATS at {settings.Endpoint} timed out after {settings.Options.ConnectTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s while {stage}", inner);

    private static string CredentialKeys(NatsAuthOptions auth) => auth.Kind switch
    {
        "creds" => "'creds' (is the user JWT signed by an account the server trusts?)",
        "nkey" => "'nkey' (is its public key a user of the server?)",
        "token" => "'token'",
        "user/password" => "'username'/'password'",
        _ => "'token', 'username'/'password', 'creds' or 'nkey' (the server wants credentials)",
    };

    private static IEnumerable<Exception> Chain(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static Exception Innermost(Exception failure) => Chain(failure).Last();
}
