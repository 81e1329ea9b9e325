using System.Net;
using System.Net.Sockets;
using Kollect.Operator.Sinks.Common;
using NATS.Client.Core;

namespace Kollect.Operator.Sinks.Nats;

/// <summary>
/// NATS.Net's dial step with the endpoint guard (SPEC §6.5): every address the host resolves to is
/// checked at each dial, the first connect and every reconnect alike (including servers a cluster
/// advertises in INFO <c>connect_urls</c>), and only allowed addresses are dialled. NATS.Net's own
/// TCP factory connects by host name, so it cannot be told which address it dials.
/// </summary>
/// <remarks>
/// NATS.Net reports a failed first connect only as "can not connect uris"; the last dial failure is
/// kept in <see cref="LastFailure"/> so the publisher can say what went wrong.
/// </remarks>
internal sealed class GuardedSocketConnectionFactory : INatsSocketConnectionFactory
{
    private readonly EndpointPolicy _policy;
    private Exception? _lastFailure;

    public GuardedSocketConnectionFactory(EndpointPolicy policy)
    {
        _policy = policy;
    }

    /// <summary>What made the last dial fail (guard denial, DNS or socket error), or null.</summary>
    public Exception? LastFailure => Volatile.Read(ref _lastFailure);

    public async ValueTask<INatsSocketConnection> ConnectAsync(Uri uri, NatsOpts opts, CancellationToken cancellationToken)
    {
        try
        {
            IPAddress[] addresses = await EndpointGuard.ResolveAllowedAddressesAsync(uri.Host, _policy, cancellationToken).ConfigureAwait(false);
            SocketException? last = null;
            foreach (IPAddress address in addresses)
            {
                Socket socket = new(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, uri.Port), cancellationToken).ConfigureAwait(false);
                    Volatile.Write(ref _lastFailure, null);
                    return new GuardedSocketConnection(socket);
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
        catch (Exception e)
        {
            Volatile.Write(ref _lastFailure, e);
            throw;
        }
    }

    /// <summary>A connected socket; NATS.Net upgrades it to TLS itself through <see cref="Socket"/>.</summary>
    private sealed class GuardedSocketConnection(Socket socket) : INatsTlsUpgradeableSocketConnection
    {
        private int _disposed;

        public Socket Socket { get; } = socket;

        public ValueTask<int> SendAsync(ReadOnlyMemory<byte> buffer) => Socket.SendAsync(buffer, SocketFlags.None, CancellationToken.None);

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer) => Socket.ReceiveAsync(buffer, SocketFlags.None, CancellationToken.None);

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                try
                {
                    Socket.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                    // Already closed by the peer.
                }
                catch (ObjectDisposedException)
                {
                    // Already disposed.
                }

                Socket.Dispose();
            }

            return default;
        }
    }
}
