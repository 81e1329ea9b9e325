using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kollect.Operator.Observability;

/// <summary>
/// A tiny HTTP/1.1 server for <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> (SPEC §7): GET
/// only, one request per connection, no ASP.NET Core — it binds in microseconds, which keeps start →
/// healthy within the 50 ms budget (SPEC §10), and stays AOT-clean.
/// </summary>
public sealed class ProbeServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 8192;
    private readonly Socket _listener;
    private readonly Func<string, ProbeResponse> _route;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private ProbeServer(Socket listener, Func<string, ProbeResponse> route)
    {
        _listener = listener;
        _route = route;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Binds and starts serving; <paramref name="route"/> maps a path (without query) to a response.</summary>
    public static ProbeServer Start(IPEndPoint endPoint, Func<string, ProbeResponse> route)
    {
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endPoint);
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return new ProbeServer(listener, route);
    }

    /// <summary>
    /// Parses a bind address as controller-runtime writes it: <c>:8080</c> (all interfaces),
    /// <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>; <c>0</c> means disabled (null).
    /// </summary>
    public static IPEndPoint? ParseBindAddress(string address)
    {
        if (address is "0" or "")
        {
            return null;
        }
        var colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ArgumentException($"bind address '{address}' is not HOST:PORT or :PORT (or 0 to disable).");
        }
        var host = address[..colon].Trim('[', ']');
        var ip = host.Length == 0 ? IPAddress.Any
            : host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ArgumentException($"bind address '{address}': '{host}' is not an IP address.");
        return new IPEndPoint(ip, port);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                var buffer = new byte[MaxRequestBytes];
                var length = 0;
                int headerEnd;
                while ((headerEnd = IndexOfHeaderEnd(buffer, length)) < 0)
                {
                    if (length == buffer.Length)
                    {
                        await WriteAsync(client, ProbeResponse.Text(431, "request headers too large\n"), false, timeout.Token).ConfigureAwait(false);
                        return;
                    }
                    var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }
                    length += read;
                }
                var requestLine = Encoding.ASCII.GetString(buffer, 0, Array.IndexOf(buffer, (byte)'\r', 0, headerEnd));
                var parts = requestLine.Split(' ');
                if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
                {
                    await WriteAsync(client, ProbeResponse.Text(400, "bad request\n"), false, timeout.Token).ConfigureAwait(false);
                    return;
                }
                var isHead = parts[0] == "HEAD";
                if (parts[0] != "GET" && !isHead)
                {
                    await WriteAsync(client, ProbeResponse.Text(405, "only GET and HEAD\n"), false, timeout.Token).ConfigureAwait(false);
                    return;
                }
                var path = parts[1];
                var query = path.IndexOf('?', StringComparison.Ordinal);
                if (query >= 0)
                {
                    path = path[..query];
                }
                await WriteAsync(client, _route(path), isHead, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away or was too slow; nothing to answer.
                return;
            }
        }
    }

    private static int IndexOfHeaderEnd(byte[] buffer, int length) =>
        buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);

    private static async Task WriteAsync(Socket client, ProbeResponse response, bool headOnly, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(response.Body);
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {response.StatusCode} {Reason(response.StatusCode)}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await client.SendAsync(head, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (!headOnly)
        {
            await client.SendAsync(body, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        client.Shutdown(SocketShutdown.Send);
    }

    private static string Reason(int code) => code switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Status",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
